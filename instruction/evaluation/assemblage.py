"""Assembler l'évaluation (`resultat.Evaluation`) à partir des résultats des règles."""
from itertools import compress, repeat
from operator import is_
from typing import Any, Optional, Sequence

from forms.libelles import CHAMPS as ORDRE_DU_FORMULAIRE
from forms.valeurs import FINANCEURS
from instruction.evaluation.details import CALCULS
from instruction.evaluation.plan import EFFETS_RESERVE, PlanEvaluation, en_json
from instruction.evaluation.resultat import Condition, Constat, Evaluation, StatutFinanceur
from instruction.evaluation.statuts import RANG, StatutCalcule, statut_financeur
from rules.chargement import DETAIL
from rules.evaluateur import DECODE

_RANG_FORMULAIRE = {c: i for i, c in enumerate(ORDRE_DU_FORMULAIRE)}
_OUVERTS = ("prioritaire", "eligible", "a_completer")
_SIMPLES = (str, bool, int, float, type(None))


def _constat(plan: PlanEvaluation, i: int, faits: dict[str, Any], tests: tuple[int, ...]) -> Constat:
    cle = None
    if plan.constat_partage[i]:
        # A finding is a function of the values its rule read: one object serves every dossier that read
        # the same. The types are part of the key: 1, 1.0 and True are equal in a dict, not in the JSON of
        # a finding; so are 0.0 and -0.0, hence a float zero is never shared.
        valeurs = tuple(map(faits.get, plan.champs_lus[i]))
        classes = tuple(map(type, valeurs))
        if float not in classes or all(v for v, c in zip(valeurs, classes) if c is float):
            cle = (i, valeurs, classes)
            memo = plan.memo_constats
            try:
                constat = memo.recents.get(cle) or memo.chercher(cle)
            except TypeError:  # an unhashable value (a list): built for this dossier only
                cle = None
            else:
                if constat is not None:
                    return constat
    conditions = tuple(_condition(plan, k, champ, operateur, attendu, partage, faits.get(champ), tests[k])
                       for k, champ, operateur, attendu, partage in plan.lectures[i])
    fixe = plan.constats_fixes[i]
    if i in plan.details:  # its message quotes the dossier
        regle, financeur, effet, message, *suite = fixe
        fixe = (regle, financeur, effet, DETAIL.sub(lambda m: CALCULS[m.group(1)](faits), message), *suite)
    regle, financeur, effet, message, source, interpretation, piece, montant, motif = fixe
    constat = Constat(regle, financeur, effet, message, source, interpretation, conditions, piece, montant, motif)
    return constat if cle is None else plan.memo_constats.retenir(cle, constat)


def _condition(plan: PlanEvaluation, k: int, champ: str, operateur: str, attendu: Any, partage: bool, valeur: Any,
               code: int) -> Condition:
    """La condition du test `k` pour la valeur lue : partagée comme les constats, sauf celle d'un champ lu
    par un test d'ordre (un montant, un taux, une date), valeur qui revient rarement."""
    classe = type(valeur)
    cle = (k, classe, valeur) if partage and (classe is not float or valeur) else None
    if cle is not None:
        memo = plan.memo_conditions
        try:
            condition = memo.recents.get(cle) or memo.chercher(cle)
        except TypeError:
            cle = None
        else:
            if condition is not None:
                return condition
    condition = Condition(champ, operateur, attendu, valeur if classe in _SIMPLES else en_json(valeur), DECODE[code])
    return condition if cle is None else plan.memo_conditions.retenir(cle, condition)


def avis_de(statuts: dict[str, str], reserve: bool, accompagnement: Sequence[str]) -> str:
    """L'avis tiré du statut de chaque financeur (voir README, « Du dossier à l'avis »)."""
    region = statuts["region_hdf"]
    if region in ("prioritaire", "eligible"):
        return "favorable_sous_reserve" if reserve else "favorable"
    if region == "a_completer":
        return "incomplet"
    autres = any(s in _OUVERTS for f, s in statuts.items() if f != "region_hdf")
    return "a_reorienter" if autres or accompagnement else "defavorable"


def orientation_de(statuts: dict[str, str]) -> list[str]:
    """Les financeurs ouverts, les plus pertinents d'abord, dans l'ordre du contrat à rang égal."""
    ouverts = (f for f, s in statuts.items() if s in _OUVERTS)
    return sorted(ouverts, key=lambda f: (RANG[statuts[f]], FINANCEURS.index(f)))


def reserve_de(manquants_avis: Sequence[str], constats: Sequence[Constat]) -> bool:
    """LA règle de la réserve, écrite une fois : un avis favorable est réservé par une information manquante
    qui peut changer la voie Région ou une règle du dossier entier, ou par un avertissement ou une pièce qui
    concerne le dossier entier ou la voie Région. Ce que seule la voie d'un autre financeur demande ne
    réserve pas l'avis."""
    return bool(manquants_avis) or any(c.effet in EFFETS_RESERVE and c.financeur in (None, "region_hdf")
                                       for c in constats)


def assembler(reference: str, plan: PlanEvaluation, resultats: Sequence[Optional[bool]],
              tests: tuple[int, ...], faits: dict[str, Any], version: str) -> Evaluation:
    """`tests` : le code (0, 1, 3) de chaque test du jeu, pour expliquer chaque constat."""
    regles = plan.regles
    statuts: dict[str, StatutCalcule] = {}
    financeurs = []
    fermes: dict[str, frozenset[str]] = {}
    for f in FINANCEURS:
        statut, publie, ferme = _statut(plan, f, resultats)
        statuts[f] = statut
        financeurs.append(publie)
        if ferme is not None:
            fermes[f] = ferme

    def pertinente(i: int) -> bool:
        # A closed funder shows only what closed it: its other findings would mislead the holder.
        financeur = plan.financeur_de[i]
        return financeur not in fermes or plan.ids[i] in fermes[financeur]

    vrais = list(compress(plan.indices, map(is_, resultats, repeat(True))))
    if fermes:
        vrais = [i for i in vrais if pertinente(i)]
    routes = {plan.accompagnement[i] for i in vrais if i in plan.accompagnement}
    accompagnement = sorted(routes, key=plan.ordre_accompagnement.__getitem__)
    reserves_inconnues = {i for i in plan.reserve if resultats[i] is None and pertinente(i)}
    decisives = {i for s in statuts.values() for i in s.regles_decisives} | reserves_inconnues
    manquants = _manquants(sorted(decisives), plan, faits)
    sans_date = faits.get("date_depot") is None
    if sans_date and "date_depot" not in manquants:
        manquants.insert(0, "date_depot")  # rules were chosen at another date: the avis is provisional
    # Like a warning, a question that only another funder's route needs does not reserve the avis.
    decisives_avis = set(statuts["region_hdf"].regles_decisives) | (reserves_inconnues & plan.reserve_avis)
    manquants_avis = _manquants(sorted(decisives_avis), plan, faits) if decisives_avis else []
    if sans_date:
        manquants_avis.insert(0, "date_depot")
    par_financeur = {f: s.statut for f, s in statuts.items()}
    constats = tuple(_constat(plan, i, faits, tests) for i in vrais)
    manquants_de_l_avis = tuple(c for c in manquants if c in manquants_avis)
    return Evaluation(
        reference=reference,
        avis=avis_de(par_financeur, reserve_de(manquants_de_l_avis, constats), accompagnement),
        financeurs=tuple(financeurs),
        orientation=tuple(orientation_de(par_financeur)),
        accompagnement=tuple(accompagnement),
        informations_manquantes=tuple(manquants),
        informations_manquantes_avis=manquants_de_l_avis,
        pieces_requises=tuple(regles[i].piece for i in vrais if regles[i].piece),
        constats=constats,
        version_regles=version,
    )


def _statut(plan: PlanEvaluation, financeur: str, resultats: Sequence[Optional[bool]]
            ) -> tuple[StatutCalcule, StatutFinanceur, Optional[frozenset[str]]]:
    """Le statut calculé d'un financeur, son statut publié, et (s'il est fermé) les règles qui l'ont fermé :
    calculés une fois par combinaison des résultats de ses règles."""
    memo = plan.memo_statuts[financeur]
    cle = plan.lecteurs_statut[financeur](resultats)
    entree = memo.recents.get(cle) or memo.chercher(cle)
    if entree is None:
        s = statut_financeur(financeur, plan.par_financeur[financeur], plan.regles, resultats)
        ferme = frozenset(s.motifs) if s.statut in ("exclu", "non_concerne") else None
        entree = memo.retenir(cle, (s, StatutFinanceur(s.financeur, s.statut, s.motifs, s.montant_indicatif), ferme))
    return entree


def _manquants(indices: list[int], plan: PlanEvaluation, faits: dict[str, Any]) -> list[str]:
    champs: dict[str, None] = {}
    for i in indices:
        for champ, formulaire in plan.inconnus_possibles[i]:
            if faits.get(champ) is None:
                for c in formulaire:  # the form fields to ask for (champs_du_formulaire)
                    if faits.get(c) is None:
                        champs[c] = None
    return sorted(champs, key=_rang_formulaire)


def _rang_formulaire(champ: str) -> int:
    return _RANG_FORMULAIRE.get(champ, len(_RANG_FORMULAIRE))
