"""Les règles d'un jeu en vigueur jugées par durable-rules, dossier par dossier, par lots.

Chaque règle devient une règle durable « r<i> » sur un seul fait ; un lot de dossiers est affirmé
d'un coup dans une session neuve, puis la session est effacée. L'évaluateur Python reste la
référence pour distinguer le faux de l'inconnu.
"""
import hashlib
import re
from typing import Sequence

from rules.durable import session
from rules.durable.codage import json_ruleset, texte_du_lot
from rules.durable.erreurs import MoteurDurableIndisponible
from rules.durable.traduction import expression, regle
from rules.regle import Regle

# Each match is a frame '{"m":{"id":<n>,…}}': the engine echoes our fact's text, whose first
# key is "id"; the session's own state fact echoes as '{"m":{ "sid":"…'. A string value cannot
# hold a bare '"', so the pattern never matches inside a fact.
_TRAME = re.compile(r'\{"m":\{(?:"id":(\d+),| "sid":")')


class MoteurDurable(session.Rulesets):
    """Les règles traduites en rulesets durable-rules (un seul, sauf débordement), évaluées par lots."""

    def __init__(self, regles: Sequence[Regle]):
        if not session.disponible():
            raise MoteurDurableIndisponible()
        self.regles = tuple(regles)
        # Only the fields the rules read are sent, under short names: the engine echoes each
        # matched fact whole, and short names make that text (and our parsing of it) ~20% faster.
        # A dotted name would anyway be read as a path into a sub-object.
        champs = dict.fromkeys(c for r in self.regles for c in r.condition.champs())
        self._champs = tuple((c, f"c{k}") for k, c in enumerate(champs))
        self._expressions = [expression(r.condition, dict(self._champs)) for r in self.regles]
        empreinte = hashlib.sha256(json_ruleset(self._expressions).encode()).hexdigest()
        self._preparer(tuple(r.id for r in self.regles), empreinte)

    def _definition(self, i: int) -> dict:
        return regle(self._expressions[i])

    def declenchees(self, lot: Sequence[dict]) -> list[frozenset[int]]:
        """Pour chaque dict de faits du lot, les indices (dans regles) des règles vraies."""
        if not self.regles or not lot:
            return [frozenset() for _ in lot]
        sid = session.nouvelle_session("lot")  # a fresh session per call: batches never meet
        # The witness fact has id len(lot) and the witness rule index len(regles): one spare slot.
        texte = texte_du_lot(lot, self._champs, sid, session.fait_temoin(len(lot), sid))
        messages = self._messages(sid, texte)
        resultats: list[set[int]] = [set() for _ in range(len(lot) + 1)]
        for message in messages:  # '{"r<i>":[{"m":{"id":<n>,…}},{"m":…}]}'
            numero, fin = session.regle_lue(message)
            for ident in _TRAME.findall(message, fin):
                if ident:  # else the session's state fact, which absence-only rules also match
                    resultats[int(ident)].add(numero)  # a set: an OR across fields fires per branch
        return [frozenset(r) for r in resultats[:-1]]
