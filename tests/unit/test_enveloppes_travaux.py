"""L'avancement des travaux de la salle du comité (`api/web/routes/comite_travaux.py`) : le travail n'attend jamais
l'écriture de son avancement (sous SQLite, elle attend la fin de sa transaction), seule la dernière valeur compte, et
rien ne s'écrit après `fermer()` ; les étapes d'un import font un seul avancement."""
import threading

from api.web.routes.comite_travaux import Avancement, progression_par_etapes


def test_avancer_n_attend_pas_l_ecriture_et_seule_la_derniere_valeur_est_ecrite_a_la_fin():
    base_libre, ecrits, premiere = threading.Event(), [], threading.Event()

    def ecrire(faits, total):
        premiere.set()
        base_libre.wait()  # the database is held by the job's own transaction
        ecrits.append((faits, total))

    avancement = Avancement(ecrire)
    avancement(1, 10)
    premiere.wait()
    for faits in range(2, 11):
        avancement(faits, 10)  # would hang here if it waited for the database
    base_libre.set()
    avancement.fermer()
    assert ecrits == [(1, 10), (10, 10)]
    avancement(11, 10)
    assert ecrits == [(1, 10), (10, 10)]  # closed: nothing more is written


def test_les_trois_etapes_d_un_import_font_un_seul_avancement():
    vus = []
    progression = progression_par_etapes(lambda faits, total: vus.append((faits, total)), 4,
                                         ("lecture", "évaluation", "enregistrement"))
    progression("lecture", 4, 4)
    progression("évaluation", 1, 2)
    progression("enregistrement", 2, 2)
    assert vus == [(4, 12), (6, 12), (12, 12)]
