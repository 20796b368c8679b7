"""Les dossiers passent par la base et en reviennent identiques ; l'historique ne fait que s'allonger."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from forms.dossier import Dossier
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import DossierExistant, TransitionInterdite
from instruction.storage import ErreurStockage
from instruction.storage.tables import dossiers, evaluations, financements, transitions
from tests.integration.conftest import DEBUT, ajouter, compter, donnees_completes, dossier_depose, instants, relire


def _historique_complet(guichet, reference="D-HISTO"):
    """Un dossier instruit jusqu'à la décision : transitions, deux évaluations, correction, décisions."""
    horloge = instants()
    dossier = dossier_depose(reference)
    dossier.passer("en_instruction", "agent.a", next(horloge), "pièces reçues")
    for _ in range(2):
        resultat = guichet.evaluer(dossier.donnees.model_dump(mode="json"))
        dossier.ajouter_evaluation(resultat, dossier.donnees.date_depot, "agent.a", next(horloge))
    dossier.corriger("avis", None, "defavorable", "projet déjà financé en 2024", "agent.b", next(horloge))
    dossier.passer("avis_rendu", "agent.a", next(horloge), "avis technique rendu")
    dossier.passer("inscrit_comite", "agent.a", next(horloge), "comité de mars", comite="lys-2025-03")
    dossier.decider({"region_hdf": "favorable", "leader": "ajourne"}, "vu en comité", "comite", next(horloge),
                    comite="lys-2025-03")
    return dossier


def test_un_dossier_dont_tout_est_renseigne_revient_exactement(uow):
    ajouter(uow, dossier_depose("D-1"))
    relu = relire(uow, "D-1")
    assert relu.donnees == donnees_completes("D-1")
    assert relu.donnees.budget.cout_total_ht == 1234567.89
    assert relu.donnees.budget.montant_sollicite == 0.1
    assert relu.donnees.porteur.aides_minimis_3_ans == 0.07
    assert [f.montant for f in relu.donnees.budget.financements] == [250000.55, 0.07, 0.0]
    assert type(relu.donnees.date_depot) is date and type(relu.donnees.projet.date_debut_travaux) is date
    assert relu.etat == "depose"
    assert relu.transitions == dossier_depose("D-1").transitions


def test_un_champ_inconnu_reste_inconnu_et_une_liste_vide_reste_vide(uow):
    inconnu = Dossier(reference="D-INCONNU")
    vide = Dossier.model_validate({"reference": "D-VIDE", "projet": {"labels": [], "clienteles": []},
                                   "budget": {"financements": []}})
    ajouter(uow, DossierInstruit.creer(inconnu, "agent", DEBUT, "brouillon"),
             DossierInstruit.creer(vide, "agent", DEBUT, "brouillon"))
    assert relire(uow, "D-INCONNU").donnees == inconnu
    assert relire(uow, "D-VIDE").donnees == vide
    assert relire(uow, "D-VIDE").donnees.budget.financements == []
    assert relire(uow, "D-INCONNU").donnees.budget.financements is None


def test_tout_l_historique_fait_l_aller_retour(uow, guichet_python):
    dossier = _historique_complet(guichet_python)
    ajouter(uow, dossier)
    relu = relire(uow, "D-HISTO")
    assert relu.etat == "decide"
    assert relu.transitions == dossier.transitions
    assert relu.evaluations == dossier.evaluations
    assert [e.numero for e in relu.evaluations] == [1, 2]
    assert type(relu.evaluations[0].date_reference) is date
    assert relu.corrections == dossier.corrections
    assert relu.decisions == dossier.decisions
    assert all(t.quand.tzinfo is not None for t in relu.transitions)


def _interdire_de_reecrire(moteur, *tables):
    """Des déclencheurs qui font échouer toute modification ou suppression d'une ligne de ces tables."""
    with moteur.begin() as connexion:
        for table in tables:
            if connexion.dialect.name == "sqlite":
                for operation in ("UPDATE", "DELETE"):
                    connexion.exec_driver_sql(
                        f"CREATE TRIGGER fige_{table}_{operation} BEFORE {operation} ON {table} "
                        "BEGIN SELECT RAISE(ABORT, 'historique réécrit'); END")
            else:
                connexion.exec_driver_sql(
                    "CREATE OR REPLACE FUNCTION fige() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'historique réécrit'; END $$")
                connexion.exec_driver_sql(f"CREATE TRIGGER fige_{table} BEFORE UPDATE OR DELETE ON {table} "
                                          "FOR EACH ROW EXECUTE FUNCTION fige()")


def test_un_second_enregistrement_ajoute_des_lignes_sans_reecrire_les_anciennes(uow, moteur, guichet_python):
    dossier = dossier_depose("D-1")
    dossier.passer("en_instruction", "agent", DEBUT, "complet")
    dossier.ajouter_evaluation(guichet_python.evaluer(dossier.donnees.model_dump(mode="json")),
                               date(2025, 3, 10), "agent", DEBUT)
    ajouter(uow, dossier)
    _interdire_de_reecrire(moteur, "transitions", "evaluations", "decisions")
    horloge = instants()
    for _ in range(2):
        with uow:
            relu = uow.dossiers.obtenir("D-1", pour_modifier=True)
            relu.ajouter_evaluation(guichet_python.evaluer(relu.donnees.model_dump(mode="json")),
                                    date(2025, 3, 10), "agent", next(horloge))
            uow.dossiers.enregistrer(relu)
            uow.dossiers.enregistrer(relu)  # twice in a row: the second has nothing new to write
            uow.valider()
    with uow:
        relu = uow.dossiers.obtenir("D-1", pour_modifier=True)
        relu.passer("avis_rendu", "agent", next(horloge), "avis rendu")
        uow.dossiers.enregistrer(relu)
        uow.valider()
    relu = relire(uow, "D-1")
    assert [e.numero for e in relu.evaluations] == [1, 2, 3]
    assert [t.vers for t in relu.transitions] == ["depose", "en_instruction", "avis_rendu"]
    assert compter(moteur, evaluations) == 3 and compter(moteur, transitions) == 3


def test_la_revue_d_une_correction_est_enregistree(uow, guichet_python):
    ajouter(uow, DossierInstruit(donnees=donnees_completes("D-1"), etat="en_instruction"))
    horloge = instants()
    with uow:
        dossier = uow.dossiers.obtenir("D-1", pour_modifier=True)
        dossier.ajouter_evaluation(guichet_python.evaluer(dossier.donnees.model_dump(mode="json")),
                                   date(2025, 3, 10), "agent", next(horloge))
        dossier.corriger("avis", None, "defavorable", "déjà financé", "agent", next(horloge))
        dossier.corriger("constat_ajoute", None, "Visite sur place le 3 mars", "compte rendu", "agent", next(horloge))
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    with uow:
        dossier = uow.dossiers.obtenir("D-1", pour_modifier=True)
        dossier.corrections[0] = replace(dossier.corrections[0], a_revoir=True, motif_revue="le calcul a changé")
        dossier.retirer_correction(2, "agent", "constat levé", next(horloge))
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    relu = relire(uow, "D-1")
    assert relu.corrections == dossier.corrections
    assert (relu.corrections[0].a_revoir, relu.corrections[0].motif_revue) == (True, "le calcul a changé")
    assert relu.corrections[1].retiree and "constat levé" in relu.corrections[1].retrait


def test_sortir_du_bloc_sans_valider_n_ecrit_rien(uow, moteur):
    with uow:
        uow.dossiers.ajouter(dossier_depose("D-1"))
    assert compter(moteur, dossiers) == 0
    assert relire(uow, "D-1") is None


def test_une_exception_au_milieu_d_un_lot_de_50_depots_n_ecrit_rien(uow, moteur):
    with pytest.raises(RuntimeError, match="panne"):
        with uow:
            for numero in range(50):
                if numero == 37:
                    raise RuntimeError("panne au 38e dossier")
                uow.dossiers.ajouter(dossier_depose(f"D-{numero:02d}"))
            uow.valider()
    assert compter(moteur, dossiers) == compter(moteur, financements) == compter(moteur, transitions) == 0


def test_une_erreur_du_domaine_remonte_telle_quelle_et_rien_n_est_ecrit(uow):
    ajouter(uow, dossier_depose("D-1"))
    with pytest.raises(TransitionInterdite):
        with uow:
            dossier = uow.dossiers.obtenir("D-1", pour_modifier=True)
            dossier.passer("en_instruction", "agent", DEBUT, "complet")
            uow.dossiers.enregistrer(dossier)
            dossier.passer("decide", "agent", DEBUT, "trop tôt")
    assert relire(uow, "D-1").etat == "depose"


def test_une_reference_en_double_donne_l_erreur_du_domaine(uow, moteur):
    ajouter(uow, dossier_depose("D-1"))
    with pytest.raises(DossierExistant, match="déjà cette référence") as erreur:
        ajouter(uow, dossier_depose("D-1"))  # straight to the INSERT: the unique constraint answers
    assert (erreur.value.reference, erreur.value.champ) == ("D-1", "reference")
    assert compter(moteur, dossiers) == 1
    ajouter(uow, dossier_depose("D-2"))  # the unit of work is usable again


def test_lister_resume_chaque_dossier_avec_son_dernier_avis_en_une_seule_requete(uow, moteur, guichet_python):
    ajouter(uow, *(dossier_depose(f"D-{n}") for n in (3, 1, 2)))
    with uow:
        dossier = uow.dossiers.obtenir("D-2", pour_modifier=True)
        for _ in range(2):
            dossier.ajouter_evaluation(guichet_python.evaluer(dossier.donnees.model_dump(mode="json")),
                                       date(2025, 3, 10), "agent", DEBUT)
        dossier.passer("en_instruction", "agent", DEBUT, "complet")
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    requetes = []
    event.listen(moteur, "before_cursor_execute", lambda *args: requetes.append(args[2]))
    with uow:
        tous = uow.dossiers.lister()
        en_instruction = uow.dossiers.lister("en_instruction")
    assert [r.reference for r in tous] == ["D-1", "D-2", "D-3"]
    assert len([r for r in requetes if r.lstrip().upper().startswith("SELECT")]) == 2
    resume = tous[1]
    assert (resume.etat, resume.evaluations, resume.dernier_avis) == ("en_instruction", 2, dossier.evaluations[-1]
                                                                       .resultat.avis)
    assert (resume.porteur, resume.titre, resume.commune_insee, resume.date_depot) == (
        "Commune d'Aire-sur-la-Lys", "Aire de camping-cars du canal", "62014", date(2025, 3, 10))
    assert (tous[0].evaluations, tous[0].dernier_avis) == (0, None)
    assert [r.reference for r in en_instruction] == ["D-2"]


def test_enregistrer_un_dossier_venu_d_ailleurs_est_refuse(uow):
    ajouter(uow, dossier_depose("D-1"))
    dossier = relire(uow, "D-1")
    with pytest.raises(ErreurStockage, match="obtenez-le d'abord"):
        with uow:
            uow.dossiers.enregistrer(dossier)


def test_une_unite_de_travail_fermee_refuse_de_servir_et_se_rouvre(uow):
    with pytest.raises(ErreurStockage, match="fermée"):
        uow.dossiers.lister()
    with uow:
        with pytest.raises(ErreurStockage, match="déjà ouverte"):
            with uow:
                pass
        assert uow.dossiers.lister() == []
    with uow:
        assert uow.dossiers.lister() == []


def test_les_horodatages_gardent_leur_instant_quel_que_soit_le_fuseau(uow):
    a_paris = datetime(2025, 3, 10, 10, 30, 0, 250, tzinfo=timezone(timedelta(hours=1)))
    ajouter(uow, DossierInstruit.creer(donnees_completes("D-1"), "agent", a_paris))
    quand = relire(uow, "D-1").transitions[0].quand
    assert quand == a_paris
    assert quand.utcoffset() == timedelta(0)
