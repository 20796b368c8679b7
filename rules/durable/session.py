"""Les sessions durable-rules : le seul module du projet qui importe le moteur de durable-rules.

On parle directement au moteur C (`durable_rules_engine`) : l'hôte de `durable.lang` lance des
minuteries qui se battent avec l'appelant, avale les exceptions des actions et passe en
asynchrone les actions à deux arguments. Ici, aucune action Python ne tourne : un lot de faits est
affirmé d'un coup dans une session neuve, ses messages d'action sont lus, puis elle est effacée.

Les caprices du moteur dont ce module se garde :
- il n'est pas sûr entre fils : chaque appel tient _VERROU ;
- un ruleset ne se décharge jamais : les rulesets compilés sont gardés et partagés (_RULESETS) ;
- plus de 64 nœuds alpha vrais à la fois pour un même fait (« error code: 303 », une pile de
  taille fixe) : le groupe de règles est coupé en deux, et le partage retenu (_PARTITIONS) ;
- effacer une session où aucune action n'a jamais commencé libère des pointeurs non initialisés
  (segfault) : chaque lot porte un fait témoin, qu'une règle témoin retient ; une session en erreur
  est purgée en y faisant d'abord courir le témoin ;
- au-delà de 1023 sessions vivantes par ruleset, MemoryError, et toucher encore à la session plante :
  chaque session est effacée dès qu'elle est lue ;
- une fois, dans un long processus, « error code 102 » sur un texte déjà lu : on recompile une fois.
Les autres caprices sont gardés là où on leur parle : l'écriture des nombres et des listes
(codage.py), l'ordre des tests d'une jointure (traduction.py), l'égalité et les collisions
d'empreintes des valeurs jointes (jointures.py).
"""
import hashlib
import itertools
import threading

from rules.durable.codage import dumps, json_ruleset
from rules.durable.erreurs import ErreurMoteurDurable
from rules.durable.traduction import regle

try:
    import durable_rules_engine as _moteur
except Exception:  # noqa: BLE001 - ImportError, or a binary that does not load (Python 3.13)
    _moteur = None

# The engine is not thread-safe: every call into it holds this lock.
_VERROU = threading.Lock()
# A ruleset can never be unloaded: compiled rulesets are kept and shared, by rules and content.
_RULESETS: dict[tuple, int] = {}
# Rule sets that had to be split (see _PileDebordee), so that the next engine splits them at once.
_PARTITIONS: dict[tuple, list[tuple[int, ...]]] = {}
_SESSIONS = itertools.count(1)
# The engine frees uninitialised pointers (segfault) when deleting a session in which no action
# ever started: every batch carries this witness fact, matched by a witness rule.
TEMOIN = "__temoin"
# "error code: 303": more than 64 alpha nodes matched at once by one fact (a fixed-size stack).
_ERREUR_PILE = "error code: 303"


def disponible() -> bool:
    """durable-rules s'importe-t-il ici ? (Il ne s'importe pas sous Python 3.13.)"""
    return _moteur is not None


def nouvelle_session(prefixe: str) -> str:
    """Un identifiant de session jamais servi : deux appels ne se rencontrent jamais."""
    return f"{prefixe}{next(_SESSIONS)}"


def fait_temoin(ident: object, sid: str) -> dict:
    """Le fait témoin de la session `sid`, que chaque lot porte."""
    return {"id": ident, "sid": sid, TEMOIN: 1}


class Rulesets:
    """Des règles durable « r<i> » compilées en un ruleset (plusieurs si le moteur déborde).

    La part commune aux deux adaptateurs (moteur.py, jointures.py) : la règle témoin, le cache des
    rulesets, et leur partage en groupes quand un fait fait déborder la pile du moteur.
    """
    _QUOI = "règle"  # in error messages

    def _preparer(self, ids: tuple[str, ...], empreinte: str) -> None:
        self._ids = ids
        self._cle = (ids, empreinte)
        tout = [tuple(range(len(ids)))] if ids else []
        with _VERROU:
            self._groupes = [(g, self._ruleset(g)) for g in _PARTITIONS.get(self._cle, tout)]

    def _definition(self, i: int) -> dict:
        """La règle durable « r<i> »."""
        raise NotImplementedError

    def _ruleset(self, indices: tuple[int, ...]) -> int:
        """Le ruleset de ces règles, compilé une fois par processus ; le verrou est tenu."""
        definition = {f"r{i}": self._definition(i) for i in indices}
        # The witness rule is numbered len(ids): callers keep a spare slot for it, or skip it.
        definition[f"r{len(self._ids)}"] = regle({TEMOIN: 1})
        texte = json_ruleset(definition)
        empreinte = hashlib.sha256(texte.encode()).hexdigest()
        cle = (tuple(self._ids[i] for i in indices), empreinte)
        for essai in range(2):
            if cle in _RULESETS:
                break
            try:
                nom = f"guichet_{len(_RULESETS)}_{essai}_{empreinte[:12]}"
                _RULESETS[cle] = _moteur.create_ruleset(nom, texte)
            except _moteur.error as exc:
                # Seen once in a long benchmark process: « error code 102 » (ERR_PARSE_STRING) on
                # a text it had parsed before; one retry, then the caller falls back to Python.
                if essai:
                    raise ErreurMoteurDurable(f"durable-rules refuse le ruleset : {exc}") from exc
        return _RULESETS[cle]

    def _messages(self, sid: str, texte: str) -> list[str]:
        """Les messages d'action de tous les groupes, chacun dans une session neuve aussitôt effacée."""
        messages: list[str] = []
        with _VERROU:
            k = 0
            while k < len(self._groupes):
                indices, handle = self._groupes[k]
                try:
                    messages.extend(_affirmer(handle, sid, texte))
                    k += 1
                except _PileDebordee:
                    if len(indices) == 1:
                        quoi = f"{self._QUOI} {self._ids[indices[0]]}"
                        raise ErreurMoteurDurable(f"{quoi} trop large pour durable-rules") from None
                    # Too many alpha nodes matched at once: split the group in two and retry it.
                    moities = (indices[:len(indices) // 2], indices[len(indices) // 2:])
                    self._groupes[k:k + 1] = [(m, self._ruleset(m)) for m in moities]
                    _PARTITIONS[self._cle] = [g for g, _ in self._groupes]
        return messages


def regle_lue(message: str) -> tuple[int, int]:
    """Le numéro i d'un message d'action '{"r<i>":[…]}', et où commencent ses trames."""
    fin = message.find('"', 3)
    if not message.startswith('{"r') or fin < 0:
        raise ErreurMoteurDurable(f"réponse de durable-rules illisible : {message[:200]}")
    return int(message[3:fin]), fin


class _PileDebordee(Exception):
    pass


def _affirmer(handle: int, sid: str, texte: str) -> list[str]:
    """Affirme le lot dans une session neuve, lit tous les messages d'action, efface la session."""
    try:
        code, etat = _moteur.assert_facts(handle, texte)
        if code in (0, 1):  # 1: some fact matched no rule, which is fine
            messages = _vider(handle, etat)
            _moteur.delete_state(handle, sid)  # at most 1023 live sessions per ruleset
            return messages
    except MemoryError as exc:  # also past 1023 live sessions; touching this sid again segfaults
        raise ErreurMoteurDurable("durable-rules : mémoire épuisée ou plus de 1023 sessions") from exc
    except _moteur.error as exc:
        _purger(handle, sid)
        if str(exc).endswith(_ERREUR_PILE):
            raise _PileDebordee() from exc
        raise ErreurMoteurDurable(f"durable-rules a échoué sur le lot : {exc}") from exc
    _purger(handle, sid)
    raise ErreurMoteurDurable(f"durable-rules refuse le lot (code {code})")


def _vider(handle: int, etat: int) -> list[str]:
    """Tous les messages d'action de la session (un par règle, grâce à « cap »)."""
    debut = _moteur.start_action_for_state(handle, etat)
    messages = []
    message = debut[1] if debut else None
    while message:
        messages.append(message)
        message = _moteur.complete_and_start_action(handle, etat)
    return messages


def _purger(handle: int, sid: str) -> None:
    """Efface une session après une erreur, en y faisant d'abord courir une action (le témoin)."""
    try:
        code, etat = _moteur.assert_fact(handle, dumps(fait_temoin("temoin", sid)))
        _vider(handle, etat)
        _moteur.delete_state(handle, sid)
    except _moteur.error:
        pass  # leak this one session rather than risk the engine's crash on deletion
