"""Les fichiers tiers du navigateur (govuk-frontend, htmx, axe-core), tirés du registre npm par `make assets`.

Chaque paquet est épinglé à une version exacte et à son empreinte d'intégrité (sha512, celle que publie le
registre) : le script calcule l'empreinte de l'archive reçue et la compare à la fois à la valeur épinglée ici
et à celle que le registre annonce ; au moindre écart, il refuse et n'installe rien. Seuls les fichiers
nommés dans PAQUETS sont extraits, dans api/web/static/vendor/ (ignoré par git). Un fichier témoin évite de
tout retélécharger : on ne refait le travail que si un épinglage change ou qu'un fichier manque.

Mettre à jour un paquet : changer sa ligne dans PAQUETS (version et empreinte, `npm view PAQUET@VERSION
dist.integrity`), puis `make assets`.
"""
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
VENDOR = RACINE / "api" / "web" / "static" / "vendor"
TEMOIN = VENDOR / ".epinglages.json"

# paquet: (version, intégrité sha512 du registre, {fichier de l'archive: fichier sous vendor/<paquet>/})
PAQUETS = {
    "govuk-frontend": ("6.3.0", "sha512-cXIQxm5PHCsbic47GXZrVBZhAeeshTLRL6ZBKilLsR6rMCjJuWb7Fruq0VUNMBJFlJk/srsRj/q8d5bM9cgKoA==", {  # noqa: E501
        "package/dist/govuk/govuk-frontend.min.css": "govuk-frontend.min.css",
        "package/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
        "package/package.json": "package.json",  # carries the MIT licence notice: the package ships no LICENSE file
    }),
    "htmx.org": ("2.0.11", "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==", {  # noqa: E501
        "package/dist/htmx.min.js": "htmx.min.js",
        "package/LICENSE": "LICENSE",
    }),
    "axe-core": ("4.14.1", "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==", {  # noqa: E501
        "package/axe.min.js": "axe.min.js",
        "package/LICENSE": "LICENSE",
    }),
}


class RefusAssets(Exception):
    """Un paquet qu'on ne peut pas installer : le message dit lequel et pourquoi."""


def integrite(archive: Path) -> str:
    """L'empreinte au format du registre npm (Subresource Integrity) : sha512- puis le condensat en base64."""
    condensat = hashlib.sha512(archive.read_bytes()).digest()
    return "sha512-" + base64.b64encode(condensat).decode("ascii")


def _npm(*arguments: str, dossier: Path) -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise RefusAssets("npm est introuvable : installez Node.js et npm (paquets Debian nodejs et npm)")
    sortie = subprocess.run([npm, *arguments], cwd=dossier, capture_output=True, text=True)
    if sortie.returncode != 0:
        raise RefusAssets(f"« npm {' '.join(arguments)} » a échoué : {sortie.stderr.strip() or sortie.stdout.strip()}")
    return sortie.stdout.strip()


def verifier(nom: str, version: str, attendue: str, archive: Path, annoncee: str) -> None:
    """Refuse une archive dont l'empreinte diffère de l'épinglage ou de ce qu'annonce le registre."""
    calculee = integrite(archive)
    if calculee != attendue:
        raise RefusAssets(f"{nom}@{version} : empreinte de l'archive {calculee} différente de l'empreinte épinglée "
                          f"{attendue} (scripts/assets_web.py) : archive refusée, rien n'est installé")
    if calculee != annoncee:
        raise RefusAssets(f"{nom}@{version} : empreinte de l'archive {calculee} différente de celle qu'annonce le "
                          f"registre npm ({annoncee or 'aucune'}) : archive refusée, rien n'est installé")


def extraire(archive: Path, fichiers: dict[str, str], destination: Path) -> None:
    """Copie les seuls fichiers nommés ; jamais un chemin pris dans l'archive elle-même (pas de ../ possible)."""
    with tarfile.open(archive, "r:gz") as tar:
        membres = {m.name: m for m in tar.getmembers() if m.isfile()}
        manquants = sorted(set(fichiers) - set(membres))
        if manquants:
            raise RefusAssets(f"{archive.name} : fichiers attendus absents de l'archive : {', '.join(manquants)}")
        for source, cible in fichiers.items():
            chemin = destination / cible
            chemin.parent.mkdir(parents=True, exist_ok=True)
            chemin.write_bytes(tar.extractfile(membres[source]).read())


def installer(nom: str, version: str, attendue: str, fichiers: dict[str, str], temporaire: Path) -> None:
    annoncee = _npm("view", f"{nom}@{version}", "dist.integrity", dossier=temporaire)
    nom_archive = _npm("pack", f"{nom}@{version}", "--silent", "--pack-destination", str(temporaire),
                       dossier=temporaire).splitlines()[-1]
    archive = temporaire / nom_archive
    verifier(nom, version, attendue, archive, annoncee)
    destination = VENDOR / nom
    shutil.rmtree(destination, ignore_errors=True)
    extraire(archive, fichiers, destination)


def epinglages() -> dict[str, list[str]]:
    return {nom: [version, empreinte] for nom, (version, empreinte, _) in PAQUETS.items()}


def a_jour() -> bool:
    """Vrai quand le témoin dit les mêmes épinglages et que chaque fichier attendu est là."""
    try:
        temoin = json.loads(TEMOIN.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    fichiers_la = all((VENDOR / nom / cible).is_file() for nom, (_, _, f) in PAQUETS.items() for cible in f.values())
    return temoin == epinglages() and fichiers_la


def main() -> int:
    if a_jour():
        return 0
    VENDOR.mkdir(parents=True, exist_ok=True)
    TEMOIN.unlink(missing_ok=True)  # a half-done install must not look complete
    try:
        with tempfile.TemporaryDirectory(prefix="guichet-assets-") as dossier:
            for nom, (version, empreinte, fichiers) in PAQUETS.items():
                installer(nom, version, empreinte, fichiers, Path(dossier))
                print(f"assets : {nom}@{version} vérifié ({empreinte[:19]}…) et installé dans {VENDOR / nom}")
    except RefusAssets as exc:
        print(f"assets : {exc}", file=sys.stderr)
        return 1
    TEMOIN.write_text(json.dumps(epinglages(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
