"""Rendre l'avis pendant que le porteur modifie son dossier : sous le verrou du dossier, l'avis n'est rendu
que sur une évaluation des données du moment, quel que soit l'ordre des commandes (SQLite et PostgreSQL)."""
import threading

from instruction.acces import Agent
from instruction.dossiers import services
from instruction.erreurs import Refus
from instruction.storage import UniteDeTravailSql
from tests.integration.conftest import dossier_depose

SERVICES = Agent("ines@hautsdefrance.fr", "instructeur")
TOURS = 10


def test_quatre_commandes_paralleles_ne_rendent_jamais_l_avis_sur_des_donnees_perimees(moteur, guichet_python):
    with UniteDeTravailSql(moteur) as uow:
        depose = dossier_depose("D-1")
        depose.passer("en_instruction", "Claire", depose.transitions[0].quand, "prise en charge")
        uow.dossiers.ajouter(depose)
        uow.valider()
    refus, erreurs = [], []

    def evaluer_puis_rendre():
        uow = UniteDeTravailSql(moteur)
        for _ in range(TOURS):
            try:
                services.evaluer(uow, guichet_python, "D-1", SERVICES)
                services.changer_etat(uow, "D-1", "avis_rendu", SERVICES, "avis rendu")
                services.changer_etat(uow, "D-1", "en_instruction", SERVICES, "le porteur complète")
            except Refus as exc:  # data changed in between, or the state moved: refused, nothing written
                refus.append(exc)
            except Exception as exc:
                erreurs.append(exc)

    def modifier(commune):
        uow = UniteDeTravailSql(moteur)
        for tour in range(TOURS):
            dossier = services.consulter(uow, "D-1", SERVICES)
            donnees = dossier.donnees.model_copy(update={"projet": dossier.donnees.projet.model_copy(
                update={"commune_insee": commune, "titre": f"version {tour}"})})
            try:
                services.modifier(uow, guichet_python, donnees.model_dump(mode="json"), SERVICES)
            except Refus as exc:  # the avis was rendered meanwhile: a rendered dossier is not modified
                refus.append(exc)
            except Exception as exc:
                erreurs.append(exc)

    fils = [threading.Thread(target=evaluer_puis_rendre), threading.Thread(target=evaluer_puis_rendre),
            threading.Thread(target=modifier, args=("62119",)), threading.Thread(target=modifier, args=("62041",))]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=300)
    assert erreurs == []
    dossier = services.consulter(UniteDeTravailSql(moteur), "D-1", SERVICES)
    # Every « avis rendu » follows an evaluation with no data change in between: the avis rests on
    # the data as they were when it was rendered.
    modifications = [t.quand for t in dossier.transitions if t.motif.startswith("données modifiées")]
    rendus = [t.quand for t in dossier.transitions if t.vers == "avis_rendu"]
    assert rendus, "aucun avis rendu : le test n'a rien vérifié"
    for rendu in rendus:
        evaluation = max(e.quand for e in dossier.evaluations if e.quand <= rendu)
        assert not [m for m in modifications if evaluation < m < rendu], "avis rendu sur des données périmées"
