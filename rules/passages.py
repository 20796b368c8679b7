"""Retrouver un passage cité dans son texte source, pour le montrer en place (surligné) sur le site des
règles. Les textes sont des extractions de PDF : la citation est comparée après normalisation des blancs
et des apostrophes (`rules.verification.normaliser`), puis replacée sur le texte brut."""
from typing import Optional

from rules.verification import _APOSTROPHES, normaliser


def _normalise_avec_positions(texte: str) -> tuple[str, list[int]]:
    """Le texte normalisé, et pour chacun de ses caractères sa position dans le texte brut."""
    sortie: list[str] = []
    positions: list[int] = []
    blanc = False
    for i, c in enumerate(texte.translate(_APOSTROPHES)):
        if c.isspace():
            blanc = bool(sortie)
            continue
        if blanc:
            sortie.append(" ")
            positions.append(i - 1)
            blanc = False
        sortie.append(c)
        positions.append(i)
    return "".join(sortie), positions


def situer(texte: str, extrait: str) -> Optional[tuple[int, int]]:
    """(début, fin) du passage dans le texte brut, ou None s'il n'y est pas."""
    return _situer_dans(_normalise_avec_positions(texte), extrait)


def _situer_dans(normalise: tuple[str, list[int]], extrait: str) -> Optional[tuple[int, int]]:
    normal, positions = normalise
    cherche = normaliser(extrait)
    debut = normal.find(cherche)
    if debut < 0 or not cherche:
        return None
    return positions[debut], positions[debut + len(cherche) - 1] + 1


def decouper(texte: str, passages: list[tuple[str, str]]) -> list[dict]:
    """Le texte en morceaux, chaque passage cité marqué avec les règles qui le citent :
    `passages` = [(identifiant de règle, extrait)]. Les passages qui se recouvrent sont fusionnés."""
    plages: list[tuple[int, int, set[str]]] = []
    normalise = _normalise_avec_positions(texte)  # once per text: the texts run to hundreds of kilobytes
    for regle, extrait in passages:
        ou = _situer_dans(normalise, extrait)
        if ou is not None:
            plages.append((ou[0], ou[1], {regle}))
    plages.sort()
    fusion: list[tuple[int, int, set[str]]] = []
    for debut, fin, regles in plages:
        if fusion and debut <= fusion[-1][1]:
            d, f, r = fusion[-1]
            fusion[-1] = (d, max(f, fin), r | regles)
        else:
            fusion.append((debut, fin, regles))
    morceaux, curseur = [], 0
    for debut, fin, regles in fusion:
        if debut > curseur:
            morceaux.append({"texte": texte[curseur:debut], "regles": []})
        morceaux.append({"texte": texte[debut:fin], "regles": sorted(regles)})
        curseur = fin
    if curseur < len(texte):
        morceaux.append({"texte": texte[curseur:], "regles": []})
    return morceaux
