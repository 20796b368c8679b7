"""Deux instructeurs sur le même dossier ou le même comité au même moment : ils s'attendent, rien ne se perd."""
import threading
import time
from datetime import date

import pytest

from instruction.acces import Agent
from instruction.comite.reunion import Comite
from instruction.dossiers import services
from instruction.erreurs import DossierExistant
from instruction.storage import UniteDeTravailSql
from instruction.storage.tables import dossiers
from tests.integration.conftest import DEBUT, ajouter, compter, dossier_depose

PAR_TEST = Agent.local("test")

EVALUATIONS_PAR_FIL = 10
ATTENTE = 0.5  # seconds the first transaction keeps its lock while the second one waits


def test_deux_fils_qui_evaluent_dix_fois_le_meme_dossier_laissent_vingt_evaluations_numerotees(moteur, guichet_python):
    with UniteDeTravailSql(moteur) as uow:
        uow.dossiers.ajouter(dossier_depose("D-1"))
        uow.valider()
    erreurs = []
    depart = threading.Barrier(2)

    def instruire(auteur):
        uow = UniteDeTravailSql(moteur)  # one unit of work per thread, on the shared engine
        try:
            depart.wait()
            for _ in range(EVALUATIONS_PAR_FIL):
                services.evaluer(uow, guichet_python, "D-1", Agent.local(auteur))
        except Exception as erreur:  # reported by the assertion below, not lost in the thread
            erreurs.append(erreur)

    fils = [threading.Thread(target=instruire, args=(f"agent.{n}",)) for n in (1, 2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=120)
    assert erreurs == []
    dossier = services.consulter(UniteDeTravailSql(moteur), "D-1", PAR_TEST)
    assert [e.numero for e in dossier.evaluations] == list(range(1, 2 * EVALUATIONS_PAR_FIL + 1))
    assert sorted(e.auteur for e in dossier.evaluations) == ["agent.1"] * 10 + ["agent.2"] * 10
    with UniteDeTravailSql(moteur) as uow:
        assert [(r.reference, r.evaluations) for r in uow.dossiers.lister()] == [("D-1", 20)]


def test_un_second_verrou_sur_le_dossier_attend_que_la_premiere_transaction_finisse(moteur, guichet_python):
    with UniteDeTravailSql(moteur) as uow:
        uow.dossiers.ajouter(dossier_depose("D-1"))
        uow.valider()
    verrou_pris = threading.Event()
    journal = []

    def premiere():
        with UniteDeTravailSql(moteur) as uow:
            dossier = uow.dossiers.obtenir("D-1", pour_modifier=True)
            verrou_pris.set()
            time.sleep(ATTENTE)
            dossier.passer("en_instruction", "agent.1", DEBUT, "pièces reçues")
            uow.dossiers.enregistrer(dossier)
            journal.append("première validée")
            uow.valider()

    def seconde():
        verrou_pris.wait()
        debut = time.monotonic()
        with UniteDeTravailSql(moteur) as uow:  # SQLite waits here (BEGIN IMMEDIATE), PostgreSQL below
            dossier = uow.dossiers.obtenir("D-1", pour_modifier=True)
            journal.append(("seconde servie", time.monotonic() - debut, dossier.etat, len(dossier.transitions)))

    fils = [threading.Thread(target=premiere), threading.Thread(target=seconde)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)
    assert journal[0] == "première validée"
    _, attente, etat, transitions = journal[1]
    assert attente >= ATTENTE * 0.8
    assert (etat, transitions) == ("en_instruction", 2)  # it read what the first one committed


def test_sans_verrou_la_lecture_ne_bloque_pas_sous_postgresql_et_attend_sous_sqlite(moteur):
    """Documente la différence : sous SQLite toute unité de travail prend le verrou d'écriture."""
    with UniteDeTravailSql(moteur) as uow:
        uow.dossiers.ajouter(dossier_depose("D-1"))
        uow.valider()
    with UniteDeTravailSql(moteur) as premiere:
        premiere.dossiers.obtenir("D-1", pour_modifier=True)
        resultat = []
        fil = threading.Thread(
            target=lambda: resultat.append(services.consulter(UniteDeTravailSql(moteur), "D-1", PAR_TEST)))
        fil.start()
        fil.join(timeout=ATTENTE)
        lu_pendant_le_verrou = bool(resultat)
    fil.join(timeout=60)
    assert lu_pendant_le_verrou is (moteur.dialect.name == "postgresql")
    assert resultat[0].reference == "D-1"


def _en_parallele(*taches) -> list[Exception]:
    """Lance chaque tâche dans son fil, ensemble ; rend les exceptions levées (perdues dans les fils sinon)."""
    erreurs = []

    def executer(tache):
        try:
            tache()
        except Exception as erreur:
            erreurs.append(erreur)

    fils = [threading.Thread(target=executer, args=(tache,)) for tache in taches]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)
    return erreurs


def test_deux_inscriptions_simultanees_au_meme_comite_restent_toutes_deux_a_l_ordre_du_jour(moteur):
    """Sans le verrou de `obtenir(…, pour_modifier=True)`, PostgreSQL garderait l'une et perdrait l'autre."""
    ajouter(UniteDeTravailSql(moteur), dossier_depose("D-1"), dossier_depose("D-2"))
    with UniteDeTravailSql(moteur) as uow:
        uow.comites.ajouter(Comite(code="lys-2025-03", date=date(2025, 3, 20), contrat="lys_artois", membres=[]))
        uow.valider()
    depart = threading.Barrier(2)

    def inscrire(reference):
        def tache():
            depart.wait()
            with UniteDeTravailSql(moteur) as uow:
                comite = uow.comites.obtenir("lys-2025-03", pour_modifier=True)
                comite.ordre_du_jour.append(reference)
                time.sleep(ATTENTE)  # inside the transaction: without the lock, both would have read []
                uow.comites.enregistrer(comite)
                uow.valider()
        return tache

    assert _en_parallele(inscrire("D-1"), inscrire("D-2")) == []
    with UniteDeTravailSql(moteur) as uow:
        assert sorted(uow.comites.obtenir("lys-2025-03").ordre_du_jour) == ["D-1", "D-2"]


def test_deux_depots_simultanes_de_la_meme_reference_donnent_l_erreur_d_un_depot_en_double(moteur):
    """Le second INSERT attend le premier et bute sur l'unicité : le même `DossierExistant` qu'en séquence."""
    premier_ecrit = threading.Event()
    vu_avant = []

    def premier():
        with UniteDeTravailSql(moteur) as uow:
            uow.dossiers.ajouter(dossier_depose("D-1"))
            premier_ecrit.set()
            time.sleep(ATTENTE)
            uow.valider()

    def second():
        premier_ecrit.wait()
        with UniteDeTravailSql(moteur) as uow:  # SQLite waits here (BEGIN IMMEDIATE), PostgreSQL at the INSERT
            vu_avant.append(uow.dossiers.obtenir("D-1") is not None)  # the check services.deposer makes first
            uow.dossiers.ajouter(dossier_depose("D-1"))
            uow.valider()

    erreurs = _en_parallele(premier, second)
    # PostgreSQL: the check saw nothing (not committed yet) and the unique constraint had the last word.
    assert vu_avant == [moteur.dialect.name == "sqlite"]
    assert [type(e) for e in erreurs] == [DossierExistant]
    assert erreurs[0].reference == "D-1"
    with pytest.raises(DossierExistant):  # the sequential case, for comparison
        ajouter(UniteDeTravailSql(moteur), dossier_depose("D-1"))
    assert compter(moteur, dossiers) == 1
