"""L'audit d'accessibilité d'une page par axe-core (WCAG 2.0 A et AA, WCAG 2.1 AA).

axe-core vient du paquet npm que `make assets` a vérifié et placé dans api/web/static/vendor/ : il est lu sur
le disque et injecté dans la page. Le script injecté est en ligne : le contexte du test doit être ouvert avec
`bypass_csp=True` (seulement celui-là : les autres tests gardent la politique de la page).
"""
from functools import lru_cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "api" / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
NORMES = ["wcag2a", "wcag2aa", "wcag21aa"]


@lru_cache(maxsize=1)
def _source_axe() -> str:
    if not AXE.is_file():
        raise AssertionError(f"axe-core absent ({AXE}) : lancez « make assets »")
    return AXE.read_text(encoding="utf-8")


def _decrire(violations: list[dict]) -> str:
    lignes = []
    for v in violations:
        lignes.append(f"- [{v['impact']}] {v['id']} : {v['help']} ({v['helpUrl']})")
        for noeud in v["nodes"][:5]:
            lignes.append(f"    {', '.join(map(str, noeud['target']))} : {noeud['html'][:160]}")
            if noeud.get("failureSummary"):
                lignes.append("      " + noeud["failureSummary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 5:
            lignes.append(f"    … et {len(v['nodes']) - 5} autre(s) élément(s)")
    return "\n".join(lignes)


def verifier_accessibilite(page: Page) -> None:
    """Échoue en listant chaque violation (règle, éléments en cause, correction suggérée) ; aucune n'est admise."""
    page.add_script_tag(content=_source_axe())
    resultat = page.evaluate("normes => axe.run(document, {runOnly: {type: 'tag', values: normes}})", NORMES)
    violations = resultat["violations"]
    assert not violations, (f"{len(violations)} violation(s) d'accessibilité sur {page.url} :\n"
                            f"{_decrire(violations)}")
