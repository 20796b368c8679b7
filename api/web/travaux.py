"""Le lanceur des travaux par lots (`instruction.travaux`) : un fil d'exécution dans le processus qui a reçu la
demande, l'avancement et l'issue de chaque élément en base (toute autre page, de tout processus, les lit).

    numero = lancer(contexte, agent, "evaluer", "Évaluation de 12 dossiers", references, par_element)
    attendre(numero, 1.0)   # rend True si le travail est fini (la page montre alors le résultat d'emblée)

- `par_element(element)` fait le travail d'un élément dans sa propre unité de travail ; elle rend un message
  (ou None) quand il réussit, et lève une `ErreurInstruction` (son message est noté) quand il est refusé. Les
  autres éléments continuent.
- `lancer_bloc(contexte, agent, nature, libelle, total, bloc)` : pour un travail d'un seul tenant (une
  transaction : l'import d'une liste, l'évaluation d'une réunion) ; `bloc(avancer)` appelle `avancer(faits,
  total)` à son rythme et rend la liste de ses `Issue` (une par élément), notées à la fin.

Un battement est écrit toutes les `BATTEMENT` secondes tant que le travail tourne. Si le processus meurt, le
travail est marqué `interrompu` au démarrage suivant du serveur (`reprendre`, pour les travaux de ce même
hôte et processus), ou par toute page qui le lit quand son battement a plus de `SILENCE_MAX`. Les éléments déjà
faits le restent (chacun a été validé dans sa transaction) ; les issues des toutes dernières secondes avant la
panne peuvent manquer : l'élément reste « en attente ».

`GUICHET_TRAVAUX_PAUSE_MS` (ou `contexte.pause_travaux`, en secondes) ménage une pause entre deux éléments (entre
deux paquets pour `lancer_par_paquets`, dont `GUICHET_TRAVAUX_PAQUET` règle la taille) : un lot de milliers de
dossiers laisse alors la base aux autres usagers.
"""
import logging
import os
import socket
import threading
import time
from typing import Any, Callable, Optional, Sequence

from api.web.dependances import horloge_de
from instruction import travaux
from instruction.acces import Agent
from instruction.erreurs import ErreurInstruction

journal = logging.getLogger("guichet.web")
PROCESSUS = f"{socket.gethostname()}:{os.getpid()}"
# Outcomes are written in bunches (every NOTES_MAX elements or NOTES_DELAI seconds): one transaction per element
# for the work itself is enough.
NOTES_MAX, NOTES_DELAI = 50, 0.3
_FINIS: dict[int, threading.Event] = {}


def _taille_des_paquets(contexte: Any, defaut: int) -> int:
    # GUICHET_TRAVAUX_PAQUET (or contexte.paquet_travaux): the browser tests take one dossier per batch, to see
    # the progress bar move.
    if (taille := getattr(contexte, "paquet_travaux", None)) is not None:
        return max(1, int(taille))
    try:
        return max(1, int(os.environ.get("GUICHET_TRAVAUX_PAQUET", defaut)))
    except ValueError:
        return defaut


def _pause(contexte: Any) -> float:
    if (pause := getattr(contexte, "pause_travaux", None)) is not None:
        return float(pause)
    try:
        return max(0, int(os.environ.get("GUICHET_TRAVAUX_PAUSE_MS", "0"))) / 1000
    except ValueError:
        return 0.0


class _Battement(threading.Thread):
    """Écrit le battement du travail à intervalles réguliers, même quand un élément est long."""

    def __init__(self, contexte: Any, numero: int):
        super().__init__(name=f"travail-{numero}-battement", daemon=True)
        self.contexte, self.numero, self.arret = contexte, numero, threading.Event()

    def run(self) -> None:
        while not self.arret.wait(travaux.BATTEMENT.total_seconds()):
            try:
                travaux.battre(self.contexte.unite_de_travail(), self.numero, horloge_de(self.contexte))
            except Exception:  # noqa: BLE001 - a missed heartbeat is no reason to stop the job
                journal.warning("travail %s : battement non écrit", self.numero, exc_info=True)


def _issue(element: str, fonction: Callable[[str], Optional[str]]) -> travaux.Issue:
    try:
        return travaux.Issue(element, True, fonction(element) or "")
    except ErreurInstruction as erreur:
        return travaux.Issue(element, False, erreur.message)
    except Exception:  # noqa: BLE001 - one element's crash must not stop the others
        journal.exception("travail : erreur inattendue sur %s", element)
        return travaux.Issue(element, False, "erreur inattendue : le détail est dans le journal du serveur")


def _executer(contexte: Any, numero: int, corps: Callable[[Callable], None]) -> None:
    horloge = horloge_de(contexte)
    battement = _Battement(contexte, numero)
    battement.start()
    etat = travaux.INTERROMPU
    try:
        corps(horloge)
        etat = travaux.TERMINE
    except Exception:  # noqa: BLE001 - the job is reported interrupted, the server goes on
        journal.exception("travail %s interrompu", numero)
    finally:
        battement.arret.set()
        try:
            travaux.terminer(contexte.unite_de_travail(), numero, etat, horloge)
        except Exception:  # noqa: BLE001 - left "en cours", it will be seen silent and marked interrupted
            journal.exception("travail %s : fin non écrite", numero)
        _FINIS.setdefault(numero, threading.Event()).set()


def _demarrer(contexte: Any, numero: int, corps: Callable[[Callable], None]) -> int:
    _FINIS[numero] = threading.Event()
    threading.Thread(target=_executer, args=(contexte, numero, corps), name=f"travail-{numero}", daemon=True).start()
    return numero


def lancer(contexte: Any, agent: Agent, nature: str, libelle: str, elements: Sequence[str],
           par_element: Callable[[str], Optional[str]], parametres: Optional[dict[str, Any]] = None) -> int:
    """Crée le travail (ses éléments en attente) et le lance dans un fil ; rend son numéro."""
    horloge = horloge_de(contexte)
    travail = travaux.creer(contexte.unite_de_travail(), agent, nature, libelle, list(elements), PROCESSUS,
                            parametres, horloge)
    pause = _pause(contexte)

    def corps(horloge) -> None:
        notes: list[tuple[int, travaux.Issue]] = []
        derniere = time.monotonic()
        for position, element in enumerate(travail.elements, 1):
            notes.append((position, _issue(element.element, par_element)))
            if len(notes) >= NOTES_MAX or time.monotonic() - derniere >= NOTES_DELAI or position == travail.total:
                travaux.noter(contexte.unite_de_travail(), travail.id, notes, horloge)
                notes, derniere = [], time.monotonic()
            if pause and position < travail.total:
                time.sleep(pause)

    return _demarrer(contexte, travail.id, corps)


def lancer_par_paquets(contexte: Any, agent: Agent, nature: str, libelle: str, elements: Sequence[str],
                       par_paquet: Callable[[list[str]], list[travaux.Issue]],
                       par_element: Callable[[str], Optional[str]], taille: int = 100,
                       parametres: Optional[dict[str, Any]] = None) -> int:
    """Comme `lancer`, mais `par_paquet(paquet)` fait `taille` éléments dans une transaction et rend une issue par
    élément (un refus n'arrête pas les autres). Si le paquet entier échoue (la base, un imprévu), ses éléments sont
    refaits un par un par `par_element`, chacun dans sa transaction : les autres vont au bout."""
    horloge = horloge_de(contexte)
    travail = travaux.creer(contexte.unite_de_travail(), agent, nature, libelle, list(elements), PROCESSUS,
                            parametres, horloge)
    pause, taille = _pause(contexte), _taille_des_paquets(contexte, taille)

    def corps(horloge) -> None:
        positions = list(enumerate((e.element for e in travail.elements), 1))
        for debut in range(0, len(positions), taille):
            paquet = positions[debut:debut + taille]
            try:
                issues = par_paquet([element for _, element in paquet])
            except Exception:  # noqa: BLE001 - the batch is done again one element at a time
                journal.warning("travail %s : paquet refait élément par élément", travail.id, exc_info=True)
                issues = [_issue(element, par_element) for _, element in paquet]
            travaux.noter(contexte.unite_de_travail(), travail.id,
                          [(position, issue) for (position, _), issue in zip(paquet, issues)], horloge)
            if pause and debut + taille < len(positions):
                time.sleep(pause)

    return _demarrer(contexte, travail.id, corps)


def lancer_bloc(contexte: Any, agent: Agent, nature: str, libelle: str, total: int,
                bloc: Callable[[Callable[[int, int], None]], list[travaux.Issue]],
                parametres: Optional[dict[str, Any]] = None) -> int:
    """Un travail d'un seul tenant : `bloc(avancer)` rend ses issues, notées quand il a fini. Ses éléments sont
    nommés par les issues rendues : avant, la page montre seulement l'avancement (`avancer(faits, total)`)."""
    horloge = horloge_de(contexte)
    travail = travaux.creer(contexte.unite_de_travail(), agent, nature, libelle, [], PROCESSUS,
                            {**(parametres or {}), "total_annonce": total}, horloge)

    def corps(horloge) -> None:
        def avancer(faits: int, sur: int) -> None:
            try:
                travaux.avancer(contexte.unite_de_travail(), travail.id, faits, sur, horloge)
            except Exception:  # noqa: BLE001 - progress display only
                journal.warning("travail %s : avancement non écrit", travail.id, exc_info=True)
        issues = bloc(avancer)
        travaux.completer(contexte.unite_de_travail(), travail.id, issues, horloge)

    return _demarrer(contexte, travail.id, corps)


def attendre(numero: int, secondes: float) -> bool:
    """Attend au plus `secondes` la fin d'un travail lancé par ce processus ; rend True s'il est fini."""
    fini = _FINIS.get(numero)
    return fini is not None and fini.wait(secondes)


def _mort(processus: str) -> bool:
    """Un processus de cet hôte qui ne tourne plus (on ne sait rien de ceux des autres hôtes : leur silence le dira)."""
    hote, _, pid = processus.rpartition(":")
    if hote != socket.gethostname() or not pid.isdigit() or processus == PROCESSUS:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def reprendre(contexte: Any) -> int:
    """Au démarrage : les travaux restés en cours d'un processus mort de cet hôte, ou muets depuis trop longtemps,
    sont marqués interrompus ; rend leur nombre."""
    try:
        return travaux.interrompre(contexte.unite_de_travail(), horloge_de(contexte), _mort)
    except ErreurInstruction:
        journal.warning("travaux : reprise impossible au démarrage (base indisponible ?)", exc_info=True)
        return 0
