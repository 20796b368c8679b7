"""`python bench/panneau.py` : le temps du serveur pour une mise à jour du pré-diagnostic en direct (cible : moins
de 50 ms par mise à jour).

Un brouillon réaliste dans une base SQLite jetable, un porteur connecté, puis des frappes simulées : chaque
demande `POST /mes-dossiers/{reference}/panneau?etape=…` (celle qu'envoie htmx) change une réponse de l'étape
(titre, commune, secteur, montants, lignes du plan). Deux mesures, p50 et p95 :
  1. le serveur seul : le temps passé dans l'application ASGI (session relue en base, jeton anti-CSRF, lecture du
     brouillon, évaluation avec les réponses tapées, modèle de vue, gabarit) ;
  2. le cœur seul : `brouillons.apercu` + le modèle de vue, sans HTTP ni base.
Le moteur est celui de `guichet serve` (durable-rules s'il est là). Ce sont des mesures, pas des tests.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != RACINE / "bench"]
sys.path.insert(0, str(RACINE))

from api.bootstrap import guichet as nouveau_guichet  # noqa: E402
from api.web.routes.porteur_commun import panneau  # noqa: E402
from instruction.acces import Agent  # noqa: E402
from instruction.dossiers import brouillons  # noqa: E402
from tests.e2e.banc_comptes import banc, client_de, jeton_de_page  # noqa: E402

MESURES = 400
CIBLE_MS = 50.0
ETAPES = {
    "porteur": {"porteur.type": ["commune"], "porteur.nom": ["Commune de Béthune"],
                "porteur.siret": ["21620910600014"]},
    "projet": {"projet.titre": ["Aire d'accueil de camping-cars du port"],
               "projet.commune_insee": ["Béthune (62119, Pas-de-Calais)"], "projet.nature": ["investissement"],
               "projet.secteur": ["hebergement"], "projet.hebergement_type": ["aire_camping_cars"],
               "projet.clienteles": ["promeneurs_chaleureux"], "projet.thematiques": ["velo", "fluvial_nautique"],
               "projet.labels": ["aucun"], "projet.accessibilite": ["oui"], "projet.date_debut_travaux-jour": ["1"],
               "projet.date_debut_travaux-mois": ["9"], "projet.date_debut_travaux-annee": ["2027"]},
    "budget": {"budget.cout_total_ht": ["180 000"], "budget.depenses_investissement": ["180 000"],
               "budget.montant_sollicite": ["90 000"], "budget.financements-0-financeur": ["departement_62"],
               "budget.financements-0-montant": ["40 000"], "budget.financements-0-statut": ["sollicite"]},
}
# What the holder is typing, one change per update (a letter more in the title, another commune, an amount…).
FRAPPES = (
    ("projet", "projet.titre", ["Aire d'accueil de camping-cars du port de plaisance"]),
    ("projet", "projet.commune_insee", ["Hinges (62454, Pas-de-Calais)"]),
    ("projet", "projet.secteur", ["activite"]),
    ("porteur", "porteur.type", ["association"]),
    ("budget", "budget.montant_sollicite", ["95 000"]),
    ("budget", "budget.financements-1-montant", ["12 500"]),
)


def _centile(valeurs: list[float], q: float) -> float:
    return statistics.quantiles(valeurs, n=100, method="inclusive")[int(q) - 1]


class Chrono:
    """Middleware ASGI : le temps passé dans l'application pour chaque demande (le client de test exclu)."""

    def __init__(self, app):
        self.app, self.durees = app, []

    async def __call__(self, scope, receive, send):
        debut = time.perf_counter()
        await self.app(scope, receive, send)
        if scope["type"] == "http" and scope["path"].endswith("/panneau"):
            self.durees.append((time.perf_counter() - debut) * 1000)


def main() -> None:
    guichet = nouveau_guichet()
    print(f"Pré-diagnostic en direct, moteur « {guichet.moteur} », {MESURES} mises à jour")
    with tempfile.TemporaryDirectory() as dossier:
        b = banc(guichet, Path(dossier))
        chrono = Chrono(b.app)  # outermost: the whole application, middlewares included
        client = client_de(chrono, "porteur")
        jeton = jeton_de_page(client, "/mes-dossiers")
        reponse = client.post("/mes-dossiers/nouveau", data={"csrf_token": jeton})
        reference = reponse.headers["location"].rsplit("/", 1)[1]
        version = 1
        for etape, saisie in ETAPES.items():
            reponse = client.post(f"/mes-dossiers/{reference}/{etape}",
                                  data={**saisie, "csrf_token": jeton, "version": str(version), "action": "continuer"})
            assert reponse.status_code == 303, reponse.text[:500]
            version += 1
        for i in range(MESURES + 20):
            etape, champ, valeur = FRAPPES[i % len(FRAPPES)]
            saisie = {**ETAPES[etape], champ: valeur, "csrf_token": [jeton]}
            reponse = client.post(f"/mes-dossiers/{reference}/panneau?etape={etape}", data=saisie)
            assert reponse.status_code == 200 and "guichet-financeurs" in reponse.text
        serveur = chrono.durees[20:]  # the first ones warm the caches (rule plans, templates)

        uow = b.contexte.unite_de_travail()
        dossier, _ = brouillons.ouvrir(uow, reference, Agent("porteur@essai.fr", "porteur"))
        donnees = dossier.donnees.model_dump(mode="json")
        coeur = []
        for i in range(MESURES + 20):
            etape, champ, valeur = FRAPPES[i % len(FRAPPES)]
            debut = time.perf_counter()
            vue, _ = panneau(guichet, donnees, reference, b.contexte.horloge, etape, {**ETAPES[etape], champ: valeur})
            coeur.append((time.perf_counter() - debut) * 1000)
            assert vue is not None
        coeur = coeur[20:]
    for nom, durees in (("serveur (ASGI, base, gabarit)", serveur), ("cœur (aperçu + modèle de vue)", coeur)):
        p50, p95 = statistics.median(durees), _centile(durees, 95)
        verdict = "OK" if p95 < CIBLE_MS else "AU-DESSUS DE LA CIBLE"
        print(f"  {nom:<32} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (cible < {CIBLE_MS:.0f} ms : {verdict})")


if __name__ == "__main__":
    main()
