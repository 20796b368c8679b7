"""Les montants sont exacts en base : décimaux sous PostgreSQL, centimes entiers sous SQLite, jamais des flottants."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Numeric, exc, insert, select, text

from forms.dossier import Financement
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import SaisieRefusee
from instruction.storage import ErreurStockage
from instruction.storage.tables import MontantAuCentime, dossiers, financements, metadata
from tests.integration.conftest import DEBUT, ajouter, compter, donnees_completes, dossier_depose, relire

# Every amount column, with what donnees_completes() holds there in cents (plus one amount at the top of
# the range). The first test checks that this list misses no numeric column of the schema.
ATTENDUS = {("dossiers", "porteur_aides_minimis_3_ans"): [7], ("dossiers", "budget_cout_total_ht"): [123456789],
            ("dossiers", "budget_depenses_investissement"): [99999999999999],
            ("dossiers", "budget_montant_sollicite"): [10], ("financements", "montant"): [25000055, 7, 0]}
# Amount columns outside a dossier's own rows, checked the same way by their own test: the comité's envelopes and
# the amounts its decisions grant (migration 0006, tests/integration/test_enveloppes_en_base.py).
AILLEURS = {("comite_enveloppes", "montant"), ("decisions", "montant")}


def test_toute_colonne_numerique_du_schema_est_un_montant_au_centime_verifie_ici():
    numeriques = {(table.name, colonne.name): colonne.type for table in metadata.tables.values()
                  for colonne in table.columns if isinstance(colonne.type, (Numeric, MontantAuCentime))}
    assert sorted(numeriques) == sorted([*ATTENDUS, *AILLEURS])  # Float is a Numeric: a float column fails here too
    assert all(isinstance(type_, MontantAuCentime) for type_ in numeriques.values())


def test_chaque_colonne_de_montant_est_stockee_exactement_et_jamais_en_flottant(uow, moteur):
    donnees = donnees_completes("D-1")
    donnees = donnees.model_copy(update={"budget": donnees.budget.model_copy(
        update={"depenses_investissement": 999999999999.99})})
    ajouter(uow, DossierInstruit.creer(donnees, "agent", DEBUT))
    sqlite = moteur.dialect.name == "sqlite"
    type_brut = "typeof({c})" if sqlite else "pg_typeof({c})::text"
    with moteur.connect() as connexion:
        for table, colonne in ATTENDUS:
            ordre = "position" if table == "financements" else "id"
            lignes = connexion.execute(text(  # plain SQL: the raw stored value, no SQLAlchemy type in between
                f"SELECT {type_brut.format(c=colonne)}, {colonne} FROM {table} ORDER BY {ordre}")).all()
            types = {type_sql for type_sql, _ in lignes}
            valeurs = [valeur for _, valeur in lignes]
            assert types == ({"integer"} if sqlite else {"numeric"}), (table, colonne, types)
            assert not any(isinstance(v, float) for v in valeurs), (table, colonne, valeurs)
            attendus = ATTENDUS[(table, colonne)]
            assert valeurs == (attendus if sqlite else [Decimal(c).scaleb(-2) for c in attendus]), (table, colonne)


def test_sous_sqlite_un_montant_stocke_en_flottant_est_refuse_a_la_lecture(uow, moteur):
    """Une base créée avant les centimes (NUMERIC, donc REAL) serait lue cent fois trop petite : on le dit."""
    if moteur.dialect.name != "sqlite":
        pytest.skip("PostgreSQL range les montants en NUMERIC")
    ajouter(uow, dossier_depose("D-1"))
    with moteur.begin() as connexion:
        connexion.exec_driver_sql("UPDATE dossiers SET budget_cout_total_ht = 1234567.89")
    with pytest.raises(ErreurStockage, match="centimes entiers"):
        relire(uow, "D-1")


def test_les_montants_sont_en_base_des_decimaux_au_centime(uow, moteur):
    ajouter(uow, dossier_depose("D-1"))
    with moteur.connect() as connexion:
        cout, sollicite = connexion.execute(
            select(dossiers.c.budget_cout_total_ht, dossiers.c.budget_montant_sollicite)).one()
        montants = connexion.execute(select(financements.c.montant).order_by(financements.c.position)).scalars().all()
    assert (cout, sollicite) == (Decimal("1234567.89"), Decimal("0.10"))
    assert montants == [Decimal("250000.55"), Decimal("0.07"), Decimal("0.00")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(centimes=st.integers(min_value=0, max_value=10**14 - 1))
@example(centimes=0)
@example(centimes=1)
@example(centimes=10**14 - 1)  # 999 999 999 999,99 €: the largest amount below the ceiling
@example(centimes=30)  # 0.3: not exact as a double
def test_tout_montant_au_centime_survit_a_l_aller_retour(uow, centimes):
    montant = centimes / 100
    reference = f"D-MONTANT-{centimes}"
    donnees = donnees_completes(reference).model_copy(update={"porteur": donnees_completes(reference).porteur
                                                              .model_copy(update={"aides_minimis_3_ans": montant})})
    with uow:
        if uow.dossiers.obtenir(reference) is None:
            uow.dossiers.ajouter(DossierInstruit.creer(donnees, "agent", DEBUT))
            uow.valider()
    assert relire(uow, reference).donnees.porteur.aides_minimis_3_ans == montant


@pytest.mark.parametrize(("modification", "champ"), [
    ({"cout_total_ht": 1e12}, "budget.cout_total_ht"),
    ({"montant_sollicite": 999999999999.995}, "budget.montant_sollicite"),
    ({"financements": [Financement.model_construct(financeur="leader", montant=5e15, statut="acquis")]},
     "budget.financements[0].montant"),
])
def test_un_montant_trop_grand_est_refuse_en_nommant_le_champ(uow, moteur, modification, champ):
    """Le contrat refuse déjà ces montants ; le stockage garde sa propre garde (model_copy ne valide pas)."""
    donnees = donnees_completes("D-GROS")
    donnees = donnees.model_copy(update={"budget": donnees.budget.model_copy(update=modification)})
    with pytest.raises(SaisieRefusee, match="trop grand") as erreur:
        ajouter(uow, DossierInstruit.creer(donnees, "agent", DEBUT))
    assert erreur.value.champ == champ and champ in str(erreur.value) and erreur.value.genre == "saisie"
    assert compter(moteur, dossiers) == 0


def test_un_montant_inferieur_au_centime_est_refuse_en_nommant_le_champ(uow, moteur):
    donnees = donnees_completes("D-MIETTE")
    donnees = donnees.model_copy(update={"budget": donnees.budget.model_copy(update={"montant_sollicite": 0.004})})
    with pytest.raises(SaisieRefusee, match="inférieur au centime") as erreur:
        ajouter(uow, DossierInstruit.creer(donnees, "agent", DEBUT))
    assert erreur.value.champ == "budget.montant_sollicite"
    assert compter(moteur, dossiers) == 0


@pytest.mark.parametrize(("valeur", "raison"), [(0.1, "jamais un flottant"), (Decimal("0.125"), "au centime"),
                                                (Decimal("1e12"), "moins de 10")])
def test_la_colonne_refuse_ce_qui_n_est_pas_un_montant_au_centime_au_lieu_de_l_arrondir(moteur, valeur, raison):
    with pytest.raises(exc.StatementError, match=raison), moteur.begin() as connexion:
        connexion.execute(insert(financements).values(dossier_id=1, position=0, financeur="leader", statut="acquis",
                                                      montant=valeur))
