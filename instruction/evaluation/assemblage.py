"""Assembler l'évaluation (`resultat.Evaluation`) à partir des résultats des règles."""
from typing import Any, Optional, Sequence

from forms.libelles import CHAMPS as ORDRE_DU_FORMULAIRE
from forms.valeurs import FINANCEURS
from instruction.evaluation.details import CALCULS
from instruction.evaluation.faits import champs_du_formulaire
from instruction.evaluation.plan import EFFETS_RESERVE, PlanEvaluation, en_json
from instruction.evaluation.resultat import Condition, Constat, Evaluation, StatutFinanceur
from instruction.evaluation.statuts import RANG, statut_financeur
from rules.chargement import DETAIL
from rules.evaluateur import DECODE

_RANG_FORMULAIRE = {c: i for i, c in enumerate(ORDRE_DU_FORMULAIRE)}
_OUVERTS = ("prioritaire", "eligible", "a_completer")
_SIMPLES = (str, bool, int, float, type(None))


def _constat(plan: PlanEvaluation, i: int, faits: dict[str, Any], tests: tuple[int, ...]) -> Constat:
    fixe = plan.constats_fixes[i]
    conditions = []
    for k, champ, operateur, attendu in plan.tests[i]:
        valeur = faits.get(champ)
        conditions.append(Condition(champ, operateur, attendu, valeur if type(valeur) in _SIMPLES else en_json(valeur),
                                    DECODE[tests[k]]))
    message = fixe["message"]
    if i in plan.details:
        message = DETAIL.sub(lambda m: CALCULS[m.group(1)](faits), message)
    return Constat(fixe["regle"], fixe["financeur"], fixe["effet"], message, fixe["source"], fixe["interpretation"],
                   tuple(conditions), fixe["piece"], fixe["montant"], fixe["motif_interpretation"])


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
    statuts = {f: statut_financeur(f, plan.par_financeur[f], regles, resultats) for f in FINANCEURS}
    fermes = {f: set(s.motifs) for f, s in statuts.items() if s.statut in ("exclu", "non_concerne")}

    def pertinente(i: int) -> bool:
        # A closed funder shows only what closed it: its other findings would mislead the holder.
        regle = regles[i]
        return regle.financeur not in fermes or regle.id in fermes[regle.financeur]

    vrais = [i for i, r in enumerate(resultats) if r is True and pertinente(i)]
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
        financeurs=tuple(StatutFinanceur(s.financeur, s.statut, s.motifs, s.montant_indicatif)
                         for s in statuts.values()),
        orientation=tuple(orientation_de(par_financeur)),
        accompagnement=tuple(accompagnement),
        informations_manquantes=tuple(manquants),
        informations_manquantes_avis=manquants_de_l_avis,
        pieces_requises=tuple(regles[i].piece for i in vrais if regles[i].piece),
        constats=constats,
        version_regles=version,
    )


def _manquants(indices: list[int], plan: PlanEvaluation, faits: dict[str, Any]) -> list[str]:
    champs: dict[str, None] = {}
    for i in indices:
        for champ in plan.champs_inconnus_possibles[i]:
            if faits.get(champ) is None:
                champs.update(dict.fromkeys(champs_du_formulaire(champ, faits)))
    return sorted(champs, key=lambda c: _RANG_FORMULAIRE.get(c, len(_RANG_FORMULAIRE)))
