"""L'adaptateur durable-rules : le seul module du projet qui importe durable-rules.

Chaque règle devient une règle durable « r<i> » sur un seul fait ; un lot de dossiers est
affirmé d'un coup dans une session neuve, puis la session est effacée. durable-rules est à
deux valeurs : une règle est déclenchée si et seulement si sa condition est vraie ; l'évaluateur
Python reste la référence pour distinguer le faux de l'inconnu.

Les jointures du comité technique (JointuresDurables) sont des règles à deux faits : tous les
faits d'une séance sont affirmés dans une session neuve, chaque paire jointe revient dans un
message d'action ; rules.jointures.paires_python reste la référence.

On parle directement au moteur C (`durable_rules_engine`) : l'hôte de `durable.lang` lance des
minuteries qui se battent avec l'appelant, avale les exceptions des actions et passe en
asynchrone les actions à deux arguments. Ici, aucune action Python ne tourne.
"""
import hashlib
import itertools
import json
import math
import re
import threading
from datetime import date
from decimal import Decimal
from typing import Any, Optional, Sequence

from rules.conditions import Noeud, Test
from rules.jointures import Jointure, valeur_comparable, verifier_identifiants
from rules.regle import Regle

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
# Each match is a frame '{"m":{"id":<n>,…}}': the engine echoes our fact's text, whose first
# key is "id"; the session's own state fact echoes as '{"m":{ "sid":"…'. A string value cannot
# hold a bare '"', so the pattern never matches inside a fact.
_TRAME = re.compile(r'\{"m":\{(?:"id":(\d+),| "sid":")')
# One action message per rule and session, carrying up to _CAP matches (unsigned short), instead
# of one engine round trip per match.
_CAP = 65535
# The engine frees uninitialised pointers (segfault) when deleting a session in which no action
# ever started: every batch carries this witness fact, matched by a witness rule.
_TEMOIN = "__temoin"
# "error code: 303": more than 64 alpha nodes matched at once by one fact (a fixed-size stack).
_ERREUR_PILE = "error code: 303"
# The engine reads integers with atol (saturating at 2**63) and compares them with doubles,
# which hold integers exactly only up to 2**53: past that, its answers could differ from Python's.
_ENTIER_MAX = 2 ** 53
# Lists are sent with this extra first item: the engine's allItems is false on an empty list,
# and "" is never a value of an enum list.
_ITEM_NEUTRE = ""


def disponible() -> bool:
    """durable-rules s'importe-t-il ici ? (Il ne s'importe pas sous Python 3.13.)"""
    return _moteur is not None


class MoteurDurableIndisponible(Exception):
    def __init__(self, message: str = ""):
        super().__init__(message or (
            "le moteur durable-rules n'est pas disponible : le paquet durable_rules n'est pas "
            "installé ou ne s'importe pas avec cette version de Python (il ne fonctionne pas sous "
            "Python 3.13) ; installez durable_rules==2.0.28 sous Python 3.11 ou 3.12, "
            "ou choisissez le moteur « python »"))


class ErreurMoteurDurable(Exception):
    """durable-rules a refusé un ruleset ou un lot de faits, ou un fait n'est pas transmissible."""


# --- Conditions -> expressions durable (negation pushed down to the leaves) ---------------------

_ORDRE = {"min": "$gte", "max": "$lte", "sup": "$gt", "inf": "$lt"}
_ORDRE_NIE = {"min": "$lt", "max": "$gt", "sup": "$lte", "inf": "$gte"}
_POSITIF = {"different_de": "est", "hors_de": "parmi", "ne_contient_aucun": "contient_un_de"}


def _constante(v: Any) -> Any:
    return v.toordinal() if isinstance(v, date) else v


def _lier(operateur: str, termes: list[dict]) -> dict:
    """$and / $or, flattened: nested same-kind groups would only cost more alpha nodes."""
    plats: list[dict] = []
    for t in termes:
        plats.extend(t[operateur] if set(t) == {operateur} else [t])
    return plats[0] if len(plats) == 1 else {operateur: plats}


def _test(t: Test, nie: bool, noms: dict[str, str]) -> dict:
    # An absent field fails every test but $nex: after De Morgan, unknown reads as false.
    cle, op = noms[t.champ], t.operateur
    if op == "renseigne":
        return {"$ex" if t.valeur != nie else "$nex": {cle: 1}}
    if op in _ORDRE:
        return {(_ORDRE_NIE if nie else _ORDRE)[op]: {cle: _constante(t.valeur)}}
    if op in _POSITIF:
        op, nie = _POSITIF[op], not nie
    liste = isinstance(t.valeur, frozenset)
    valeurs = sorted(map(_constante, t.valeur)) if liste else [_constante(t.valeur)]
    if op in ("est", "parmi"):
        if nie:
            return _lier("$and", [{"$neq": {cle: v}} for v in valeurs])
        return _lier("$or", [{cle: v} for v in valeurs])
    if nie:  # contient, contient_un_de: no item is one of the values
        return {"$iall": {cle: _lier("$and", [{"$neq": {"$i": v}} for v in valeurs])}}
    return {"$iany": {cle: _lier("$or", [{"$i": v} for v in valeurs])}}


def _expression(n: Noeud, noms: dict[str, str], nie: bool = False) -> dict:
    if isinstance(n, Test):
        return _test(n, nie, noms)
    genre = n.genre
    if genre == "aucune":
        genre, nie = "au_moins_une", not nie
    conjonction = (genre == "toutes") != nie  # De Morgan
    return _lier("$and" if conjonction else "$or", [_expression(e, noms, nie) for e in n.enfants])


# --- JSON the engine can read ---------------------------------------------------------------

class _Brut(str):
    """Un nombre déjà écrit en JSON, que json.dumps écrirait avec un exposant."""


def _nombre(x: float) -> str:
    # The engine's parser knows no exponent: '1e-05' in a fact makes it return a garbage state
    # handle (then a segfault), and in a ruleset a parse error. Write every double positionally.
    if not math.isfinite(x):
        raise ErreurMoteurDurable(f"nombre non fini « {x} » : durable-rules ne sait pas le lire")
    texte = repr(x)
    if "e" in texte:
        texte = format(Decimal(texte), "f")
    return _Brut(texte if "." in texte else texte + ".0")  # no dot: an integer, which saturates


def _json(x: Any) -> str:
    """Le JSON d'une définition de ruleset : comme _dumps, mais sans exposant."""
    if isinstance(x, dict):
        return "{" + ",".join(f"{_json(k)}:{_json(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ",".join(map(_json, x)) + "]"
    if type(x) is float:
        return _nombre(x)
    if type(x) is int and abs(x) > _ENTIER_MAX:
        raise ErreurMoteurDurable(f"entier trop grand « {x} » : durable-rules le comparerait mal")
    return json.dumps(x, ensure_ascii=False)


def _dumps(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))  # the same text as _json


def _valeur(champ: str, v: Any) -> Any:
    """La valeur à envoyer (un _Brut si json.dumps l'écrirait mal) ; lève si intransmissible."""
    t = type(v)
    if t is float:
        return v if 1e-4 <= abs(v) < 1e16 or v == 0.0 else _nombre(v)  # where repr has no exponent
    if t is int:
        if abs(v) > _ENTIER_MAX:
            raise ErreurMoteurDurable(f"{champ} : entier trop grand « {v} » pour durable-rules")
        return v
    if isinstance(v, date):
        return v.toordinal()
    if isinstance(v, (list, tuple, set, frozenset)):
        try:
            "".join(v)  # only strings: a float item could be written 1e-05
        except TypeError:
            raise ErreurMoteurDurable(f"{champ} : liste de textes attendue, reçu {v!r}") from None
        return [_ITEM_NEUTRE, *v]
    raise ErreurMoteurDurable(f"{champ} : valeur de type {t.__name__} intransmissible à durable-rules")


class _Rulesets:
    """Des règles durable « r<i> » compilées en un ruleset (plusieurs si le moteur déborde).

    La part commune aux deux adaptateurs : la règle témoin, le cache des rulesets, et leur partage
    en groupes quand un fait fait déborder la pile du moteur (voir _PileDebordee).
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
        definition[f"r{len(self._ids)}"] = {"all": [{"m": {_TEMOIN: 1}}], "cap": _CAP}
        texte = _json(definition)
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


def _regle_lue(message: str) -> tuple[int, int]:
    """Le numéro i d'un message d'action '{"r<i>":[…]}', et où commencent ses trames."""
    fin = message.find('"', 3)
    if not message.startswith('{"r') or fin < 0:
        raise ErreurMoteurDurable(f"réponse de durable-rules illisible : {message[:200]}")
    return int(message[3:fin]), fin


class MoteurDurable(_Rulesets):
    """Les règles traduites en rulesets durable-rules (un seul, sauf débordement), évaluées par lots."""

    def __init__(self, regles: Sequence[Regle]):
        if not disponible():
            raise MoteurDurableIndisponible()
        self.regles = tuple(regles)
        # Only the fields the rules read are sent, under short names: the engine echoes each
        # matched fact whole, and short names make that text (and our parsing of it) ~20% faster.
        # A dotted name would anyway be read as a path into a sub-object.
        champs = dict.fromkeys(c for r in self.regles for c in r.condition.champs())
        self._champs = tuple((c, f"c{k}") for k, c in enumerate(champs))
        self._expressions = [_expression(r.condition, dict(self._champs)) for r in self.regles]
        empreinte = hashlib.sha256(_json(self._expressions).encode()).hexdigest()
        self._preparer(tuple(r.id for r in self.regles), empreinte)

    def _definition(self, i: int) -> dict:
        return {"all": [{"m": self._expressions[i]}], "cap": _CAP}

    def declenchees(self, lot: Sequence[dict]) -> list[frozenset[int]]:
        """Pour chaque dict de faits du lot, les indices (dans regles) des règles vraies."""
        if not self.regles or not lot:
            return [frozenset() for _ in lot]
        sid = f"lot{next(_SESSIONS)}"  # a fresh session per call: batches never meet
        texte = self._texte(lot, sid)
        messages = self._messages(sid, texte)
        # The witness fact has id len(lot) and the witness rule index len(regles): one spare slot.
        resultats: list[set[int]] = [set() for _ in range(len(lot) + 1)]
        for message in messages:  # '{"r<i>":[{"m":{"id":<n>,…}},{"m":…}]}'
            regle, fin = _regle_lue(message)
            for ident in _TRAME.findall(message, fin):
                if ident:  # else the session's state fact, which absence-only rules also match
                    resultats[int(ident)].add(regle)  # a set: an OR across fields fires per branch
        return [frozenset(r) for r in resultats[:-1]]

    def _texte(self, lot: Sequence[dict], sid: str) -> str:
        faits: list[dict[str, Any]] = [{"id": len(lot), "sid": sid, _TEMOIN: 1}]
        bruts: dict[int, str] = {}  # fact -> ',"c<k>":<number>' pieces json.dumps cannot write
        for n, source in enumerate(lot, 1):
            fait: dict[str, Any] = {"id": n - 1, "sid": sid}  # "id" first: _TRAME reads it there
            for champ, cle in self._champs:
                v = source.get(champ)
                if v is None:
                    continue  # an unknown field is absent, and every test on it is false
                t = type(v)
                if t is not str and t is not bool and not (t is float and 1e-4 <= abs(v) < 1e16):
                    v = _valeur(champ, v)
                    if type(v) is _Brut:
                        bruts[n] = bruts.get(n, "") + f',"{cle}":{v}'
                        continue
                fait[cle] = v
            faits.append(fait)
        if not bruts:
            return _dumps(faits)
        # The engine does not care about the order of facts: the few with a hand-written number
        # go last, so that json.dumps still writes all the others in one call.
        speciaux = [_dumps(faits[n])[:-1] + morceaux + "}" for n, morceaux in bruts.items()]
        normaux = _dumps([f for n, f in enumerate(faits) if n not in bruts])
        return ",".join([normaux[:-1], *speciaux]) + "]"


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
        code, etat = _moteur.assert_fact(handle, _dumps({"id": "temoin", "sid": sid, _TEMOIN: 1}))
        _vider(handle, etat)
        _moteur.delete_state(handle, sid)
    except _moteur.error:
        pass  # leak this one session rather than risk the engine's crash on deletion


# --- Joins between the facts of one meeting -------------------------------------------------------
#
# The engine looks up join partners in a hash index keyed by the 32-bit FNV-1a hash of the value's
# text, and two *different* values with the same hash in one session crash it (segfault): seen with
# 0.3 and 0.30000000000000004, and with two strings built to collide. Its own equality is not
# Python's either: 1 == "1" and True == "true" join, 180000 and 180000.0 do not. So no value of a
# fact is ever sent: each distinct comparable value (rules.jointures.valeur_comparable) becomes a
# code, the decimal text of a small integer, and the engine only ever compares codes. Decimal texts
# below _CODES_SURS have pairwise distinct FNV-1a hashes (a unit test recomputes it).
_CODES_SURS = 797_186  # str(40189) and str(797186) are the first two with the same hash
# A join frame: '{"a":{"id":<i>,…},"b":{"id":<j>,…}}'. Facts hold only ints and codes: no brace.
_PAIRE = re.compile(r'\{"a":\{"id":(\d+),[^}]*\},"b":\{"id":(\d+),')


class JointuresDurables(_Rulesets):
    """Les jointures traduites en un ruleset durable-rules : une règle à deux faits par jointure."""

    _QUOI = "jointure"

    def __init__(self, jointures: Sequence[Jointure]):
        if not disponible():
            raise MoteurDurableIndisponible()
        self.jointures = tuple(jointures)
        verifier_identifiants(self.jointures)
        # The genres and filter values are constants of the ruleset: they take the first codes,
        # and each call codes the values of its facts after them.
        constantes = [valeur_comparable(g) for j in self.jointures for g in j.genres]
        constantes += [valeur_comparable(v) for j in self.jointures for cote in j.filtres for _, v in cote]
        self._constantes = {cle: str(k) for k, cle in enumerate(dict.fromkeys(constantes))}
        self._genres = frozenset(g for j in self.jointures for g in j.genres)
        # Short names, as in MoteurDurable; "genre" is a field like the others.
        champs = dict.fromkeys(["genre", *(c for j in self.jointures for c in _champs_de(j))])
        self._champs = tuple((c, f"c{k}") for k, c in enumerate(champs))
        self._definitions = [_regle_jointure(j, dict(self._champs), self._constantes) for j in self.jointures]
        empreinte = hashlib.sha256(_json(self._definitions).encode()).hexdigest()
        self._preparer(tuple(f"jointure:{j.id}" for j in self.jointures), empreinte)

    def _definition(self, i: int) -> dict:
        return self._definitions[i]

    def paires(self, faits: Sequence[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
        """Pour chaque jointure, les paires triées (indice du fait gauche, indice du fait droit),
        exactement comme rules.jointures.paires_python, tous les faits dans une seule session."""
        trouvees: list[set[tuple[int, int]]] = [set() for _ in self.jointures]
        sid = f"seance{next(_SESSIONS)}"  # a fresh session per call, deleted by _affirmer
        texte = self._texte(faits, sid)
        if texte is not None:
            for message in self._messages(sid, texte):
                regle, fin = _regle_lue(message)
                if regle < len(self.jointures):  # else the witness rule
                    trouvees[regle].update((int(i), int(j)) for i, j in _PAIRE.findall(message, fin))
        return {j.id: sorted(p) for j, p in zip(self.jointures, trouvees)}

    def _texte(self, faits: Sequence[dict[str, Any]], sid: str) -> Optional[str]:
        """Les faits à affirmer, valeurs codées ; None si aucun n'est d'un genre des jointures."""
        codes = dict(self._constantes)
        envoyes: list[dict[str, Any]] = [{"id": len(faits), "sid": sid, _TEMOIN: 1}]
        for n, fait in enumerate(faits):
            genre = fait.get("genre")
            if type(genre) is not str or genre not in self._genres:
                continue  # it can join nothing: not sending it spares the engine
            # "id" first: _PAIRE reads it there. "n" is the same index, for the ordering test.
            code: dict[str, Any] = {"id": n, "sid": sid, "n": n}
            for champ, cle in self._champs:
                try:
                    v = valeur_comparable(fait.get(champ))
                except TypeError as exc:
                    raise ErreurMoteurDurable(f"{champ} : {exc}") from None
                if v is None:
                    continue  # unknown: absent, so that "$ex" fails and the fact joins nothing
                if v not in codes:
                    if len(codes) == _CODES_SURS:
                        raise ErreurMoteurDurable(f"plus de {_CODES_SURS} valeurs distinctes dans une séance")
                    codes[v] = str(len(codes))
                code[cle] = codes[v]
            envoyes.append(code)
        return _dumps(envoyes) if len(envoyes) > 1 else None


def _champs_de(j: Jointure) -> list[str]:
    return [c for paire in j.egaux for c in paire] + [c for cote in j.filtres for c, _ in cote]


def _regle_jointure(j: Jointure, noms: dict[str, str], constantes: dict) -> dict:
    """La règle durable d'une jointure : un fait « a » (gauche), un fait « b » (droit)."""
    def egal(champ: str, valeur: Any) -> dict:
        return {noms[champ]: constantes[valeur_comparable(valeur)]}

    gauche = [egal("genre", j.genres[0]), *(egal(c, v) for c, v in j.filtres[0])]
    gauche += [{"$ex": {noms[c]: 1}} for c in dict.fromkeys(g for g, _ in j.egaux)]
    # This ordering against the other fact reports each unordered pair once (a before b) and never
    # joins a fact with itself. It must come first in its $and: after any other test, the engine
    # segfaults on the first assert. And not on "id", which the engine compares as text (10 < 2).
    droite = [{"$gt": {"n": {"a": "n"}}}] if j.meme_genre else []
    droite += [egal("genre", j.genres[1]), *(egal(c, v) for c, v in j.filtres[1])]
    droite += [{"$ex": {noms[c]: 1}} for c in dict.fromkeys(d for _, d in j.egaux)]
    droite += [{noms[d]: {"a": noms[g]}} for g, d in j.egaux]
    return {"all": [{"a": _lier("$and", gauche)}, {"b": _lier("$and", droite)}], "cap": _CAP}
