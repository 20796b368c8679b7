"""Les jointures du comité technique jugées par durable-rules : des règles à deux faits.

Tous les faits d'une séance sont affirmés dans une session neuve ; chaque paire jointe revient dans
un message d'action. rules.jointures.paires_python reste la référence : on rend exactement la même
chose. Les valeurs des faits ne sont jamais envoyées, seulement leurs codes (voir codage.py).
"""
import hashlib
import re
from typing import Any, Sequence

from rules.durable import session
from rules.durable.codage import json_ruleset, texte_de_la_seance
from rules.durable.erreurs import MoteurDurableIndisponible
from rules.durable.traduction import champs_de, regle_jointure
from rules.jointures import Jointure, valeur_comparable, verifier_identifiants

# A join frame: '{"a":{"id":<i>,…},"b":{"id":<j>,…}}'. Facts hold only ints and codes: no brace.
_PAIRE = re.compile(r'\{"a":\{"id":(\d+),[^}]*\},"b":\{"id":(\d+),')


class JointuresDurables(session.Rulesets):
    """Les jointures traduites en un ruleset durable-rules : une règle à deux faits par jointure."""

    _QUOI = "jointure"

    def __init__(self, jointures: Sequence[Jointure]):
        if not session.disponible():
            raise MoteurDurableIndisponible()
        self.jointures = tuple(jointures)
        verifier_identifiants(self.jointures)
        # The sorts and filter values are constants of the ruleset: they take the first codes,
        # and each call codes the values of its facts after them.
        constantes = [valeur_comparable(g) for j in self.jointures for g in j.sortes]
        constantes += [valeur_comparable(v) for j in self.jointures for cote in j.filtres for _, v in cote]
        self._constantes = {cle: str(k) for k, cle in enumerate(dict.fromkeys(constantes))}
        self._sortes = frozenset(g for j in self.jointures for g in j.sortes)
        # Short names, as in MoteurDurable; "sorte" is a field like the others.
        champs = dict.fromkeys(["sorte", *(c for j in self.jointures for c in champs_de(j))])
        self._champs = tuple((c, f"c{k}") for k, c in enumerate(champs))
        self._definitions = [regle_jointure(j, dict(self._champs), self._constantes) for j in self.jointures]
        empreinte = hashlib.sha256(json_ruleset(self._definitions).encode()).hexdigest()
        self._preparer(tuple(f"jointure:{j.id}" for j in self.jointures), empreinte)

    def _definition(self, i: int) -> dict:
        return self._definitions[i]

    def paires(self, faits: Sequence[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
        """Pour chaque jointure, les paires triées (indice du fait gauche, indice du fait droit),
        exactement comme rules.jointures.paires_python, tous les faits dans une seule session."""
        trouvees: list[set[tuple[int, int]]] = [set() for _ in self.jointures]
        sid = session.nouvelle_session("seance")  # a fresh session per call, deleted once read
        premier = session.fait_temoin(len(faits), sid)
        texte = texte_de_la_seance(faits, self._champs, self._sortes, self._constantes, sid, premier)
        if texte is not None:
            for message in self._messages(sid, texte):
                numero, fin = session.regle_lue(message)
                if numero < len(self.jointures):  # else the witness rule
                    trouvees[numero].update((int(i), int(j)) for i, j in _PAIRE.findall(message, fin))
        return {j.id: sorted(p) for j, p in zip(self.jointures, trouvees)}
