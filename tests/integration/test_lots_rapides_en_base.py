"""Le chemin rapide de l'évaluation en lot, sur SQLite et PostgreSQL : le lot se charge sans relire aucune
évaluation (seulement leur nombre), n'écrit de la ligne du dossier que les colonnes qui changent, écrit les
documents JSON comme `json.dumps` les aurait écrits (relus à l'identique), et sous PostgreSQL les compresse
en lz4 quand le serveur le permet."""
import json

import pytest
from sqlalchemy import event, select, text

from instruction.acces import Agent
from instruction.dossiers import lots, services
from instruction.storage.connexion import ErreurStockage
from instruction.storage.entrepots import en_json_rapide
from instruction.storage.tables import evaluations

SERVICES = Agent.local("services")


@pytest.fixture
def deux_fois_evalues(uow, guichet_python, exemples):
    references = [d["reference"] for d in exemples[:6]]
    for donnees in exemples[:6]:
        assert services.deposer(uow, guichet_python, donnees, SERVICES) == []
    for _ in range(2):
        assert all(i.reussi for i in lots.evaluer_lot(uow, guichet_python, references, SERVICES))
    return references


def test_charger_pour_evaluer_ne_relit_aucune_evaluation_mais_les_compte(uow, guichet_python, deux_fois_evalues):
    with uow:
        lot = uow.dossiers.obtenir_plusieurs(deux_fois_evalues, pour_modifier=True, pour_evaluer=True)
        assert sorted(lot) == sorted(deux_fois_evalues)
        assert all(d.evaluations == [] and d.evaluations_anterieures == 2 for d in lot.values())
        # Saved without a new evaluation, its summary (the retained avis) would be lost: refused.
        with pytest.raises(ErreurStockage, match="sans sa dernière évaluation"):
            uow.dossiers.enregistrer(lot[deux_fois_evalues[0]])
    assert [i.message.split(" : ")[0] for i in lots.evaluer_lot(uow, guichet_python, deux_fois_evalues[:2],
                                                                 SERVICES)] == ["évaluation n° 3", "évaluation n° 3"]
    evaluation = services.evaluer(uow, guichet_python, deux_fois_evalues[0], SERVICES)
    with uow:
        complet = uow.dossiers.obtenir(deux_fois_evalues[0])
    assert evaluation.numero == 4 and [e.numero for e in complet.evaluations] == [1, 2, 3, 4]
    assert complet.evaluations[-1] == evaluation


def test_une_reevaluation_n_ecrit_que_les_colonnes_qui_changent(uow, moteur, guichet_python, deux_fois_evalues):
    ecrites = []
    event.listen(moteur, "before_cursor_execute",
                 lambda _c, _k, sql, *_: ecrites.append(sql) if sql.lstrip().startswith("UPDATE dossiers") else None)
    assert all(i.reussi for i in lots.evaluer_lot(uow, guichet_python, deux_fois_evalues, SERVICES))
    assert ecrites, "la ligne de chaque dossier est mise à jour"
    for sql in ecrites:
        ensemble = sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
        colonnes = {morceau.split("=")[0].strip() for morceau in ensemble.split(",")}
        assert "nombre_evaluations" in colonnes and "modifie_le" in colonnes
        assert not colonnes & {"porteur_nom", "projet_titre", "projet_clienteles", "budget_cout_total_ht",
                               "texte_recherche", "etat"}
    with uow:
        assert {r: d.evaluations_anterieures + len(d.evaluations) for r, d in
                uow.dossiers.obtenir_plusieurs(deux_fois_evalues).items()} == dict.fromkeys(deux_fois_evalues, 3)


def test_les_documents_json_se_relisent_comme_json_les_aurait_ecrits(uow, moteur, deux_fois_evalues):
    with uow:
        dossier = uow.dossiers.obtenir(deux_fois_evalues[0])
    derniere = dossier.evaluations[-1]
    ecrit_par_json = json.loads(json.dumps(derniere.resultat.en_json()))
    assert json.loads(en_json_rapide(derniere.resultat.en_json())) == ecrit_par_json
    with moteur.connect() as connexion:
        brut = connexion.execute(select(evaluations.c.resultat).where(evaluations.c.numero == 2)).scalars().all()
    assert ecrit_par_json in brut
    # What json.dumps refuses, the fast writer refuses too (json.dumps says why).
    with pytest.raises(TypeError):
        en_json_rapide({"quand": derniere.quand})
    assert json.loads(en_json_rapide({1: 10 ** 30, "é": [1.5, None]})) == {"1": 10 ** 30, "é": [1.5, None]}


def test_les_resultats_d_un_lot_sont_compresses_en_lz4_sous_postgresql(moteur, deux_fois_evalues):
    if moteur.dialect.name != "postgresql":
        pytest.skip("la compression des gros documents est propre à PostgreSQL")
    with moteur.connect() as connexion:
        possible = connexion.execute(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                          "WHERE name = 'default_toast_compression'")).scalar()
        methodes = set(connexion.execute(text("SELECT DISTINCT pg_column_compression(resultat) FROM evaluations"))
                       .scalars())
        reglage = connexion.execute(text("SHOW default_toast_compression")).scalar()
    assert methodes == ({"lz4"} if possible else {"pglz"})
    assert reglage == "pglz"  # set for the lot's transaction only
