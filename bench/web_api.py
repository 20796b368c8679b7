"""`python bench/web_api.py` (`make bench-web`) : le serveur web sous une charge régulière. Des mesures, pas des tests.

1. `POST /api/v1/evaluations` à 200 demandes/s pendant 30 s : p50, p99, erreurs (cible : p99 < 100 ms, 0 erreur).
2. Une liste authentifiée de 50 dossiers sur 10 000 enregistrés, à la même cadence : `GET /api/v1/dossiers`
   (jeton d'un instructeur), et la page `/instruction/dossiers` (session) si elle répond.
3. La mémoire (RSS) du serveur pendant 100 000 évaluations enchaînées, relevée tous les 10 000 : elle doit
   rester plate.

Le serveur est un vrai `guichet serve` (moteur par défaut, base SQLite jetable) épinglé sur le cœur 0 (taskset) ;
le générateur de charge, ce processus, sur le cœur 1. La charge est en boucle ouverte : chaque demande part à
son heure (toutes les 5 ms) qu'il y ait ou non des réponses en attente, et sa latence se compte depuis cette
heure ; un serveur qui prend du retard le paie donc dans les percentiles (pas d'« omission coordonnée »).
"""
import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != RACINE / "bench"]
sys.path.insert(0, str(RACINE))

import httpx  # noqa: E402

from bench.generateur import generer  # noqa: E402

GUICHET = Path(sys.executable).parent / "guichet"
CADENCE, DUREE = 200, 30
STOCKES, PAR_PAGE = 10_000, 50
EVALUATIONS_MEMOIRE, RELEVE_TOUS_LES = 100_000, 10_000
MOT_DE_PASSE = "bench-guichet-web-2025"


def _env(donnees: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GUICHET_DONNEES=str(donnees), PYTHONUNBUFFERED="1")
    return env


def _guichet(donnees: Path, *arguments: str, entree: str = "") -> str:
    sortie = subprocess.run([str(GUICHET), *arguments], cwd=RACINE, env=_env(donnees), input=entree,
                            capture_output=True, text=True)
    if sortie.returncode != 0:
        raise SystemExit(f"bench : guichet {' '.join(arguments)} a échoué :\n{sortie.stderr}")
    return sortie.stdout


def preparer(donnees: Path, dossiers: list[dict]) -> None:
    """La base : 10 000 dossiers déposés et évalués par les dépôts (lots de 100), un instructeur."""
    from api.bootstrap import guichet as nouveau_guichet
    from instruction.dossiers.dossier_instruit import DossierInstruit
    from instruction.storage import UniteDeTravailSql, creer_moteur

    _guichet(donnees, "db", "upgrade")
    uow = UniteDeTravailSql(creer_moteur(f"sqlite:///{donnees / 'guichet.sqlite'}"))
    guichet = nouveau_guichet("python")
    instant = datetime.now(timezone.utc)
    iterateur = iter(dossiers)
    while paquet := list(islice(iterateur, 100)):
        valides = [guichet.valider(d)[0] for d in paquet]
        with uow:
            for dossier, resultat in zip(valides, guichet.evaluer_lot(valides)):
                instruit = DossierInstruit.creer(dossier, "bench", instant)
                instruit.ajouter_evaluation(resultat, instruit.donnees.date_depot or instant.date(), "bench", instant)
                uow.dossiers.ajouter(instruit)
            uow.valider()
    _guichet(donnees, "utilisateur", "creer", "--email", "instructeur@bench.fr", "--role", "instructeur",
             entree=MOT_DE_PASSE + "\n")


def jeton(donnees: Path) -> str:
    sortie = _guichet(donnees, "jeton", "creer", "--role", "instructeur", "--nom", "bench")
    return re.search(r"gch_[A-Za-z0-9_-]+", sortie).group(0)


def demarrer(donnees: Path, port: int) -> subprocess.Popen:
    # The server's log (one line per request) goes to a file: a pipe nobody reads would fill up and block it.
    journal = open(donnees / "serveur.log", "w")
    processus = subprocess.Popen(["taskset", "-c", "0", str(GUICHET), "serve", "--port", str(port)], cwd=RACINE,
                                 env=_env(donnees), stdout=journal, stderr=subprocess.STDOUT, start_new_session=True)
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if processus.poll() is not None:
            raise SystemExit(f"bench : guichet serve s'est arrêté :\n{(donnees / 'serveur.log').read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sante", timeout=2).status_code == 200:
                return processus
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("bench : guichet serve ne répond pas")


def arreter(processus: subprocess.Popen) -> None:
    processus.send_signal(signal.SIGINT)
    try:
        processus.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(processus.pid, signal.SIGKILL)


def rss_mo(pid: int) -> float:
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ligne.startswith("VmRSS:"):
            return int(ligne.split()[1]) / 1024
    return float("nan")


class ClientBrut:
    """Un client HTTP/1.1 minimal à connexions gardées ouvertes : quelques dizaines de microsecondes par demande,
    pour que le générateur de charge ne soit pas ce qu'on mesure (httpx en coûte dix fois plus)."""

    def __init__(self, port: int, connexions: int = 64):
        self.port, self.libres, self.nombre = port, asyncio.Queue(), 0
        self.maximum = connexions

    async def _connexion(self):
        if self.libres.empty() and self.nombre < self.maximum:
            self.nombre += 1
            return await asyncio.open_connection("127.0.0.1", self.port)
        return await self.libres.get()

    async def demande(self, methode: str, chemin: str, corps: bytes = b"", entetes: dict | None = None) -> int:
        lecteur, ecrivain = await self._connexion()
        lignes = [f"{methode} {chemin} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(corps)}"]
        lignes += [f"{k}: {v}" for k, v in (entetes or {}).items()]
        ecrivain.write(("\r\n".join(lignes) + "\r\n\r\n").encode("latin-1") + corps)
        tete = await lecteur.readuntil(b"\r\n\r\n")
        statut = int(tete[9:12])
        longueur = re.search(rb"(?i)content-length: *(\d+)", tete)
        if longueur:
            await lecteur.readexactly(int(longueur.group(1)))
        else:  # chunked (a streamed page): read the chunks up to the last, empty one
            while True:
                taille = int((await lecteur.readuntil(b"\r\n")).strip(), 16)
                await lecteur.readexactly(taille + 2)
                if taille == 0:
                    break
        self.libres.put_nowait((lecteur, ecrivain))
        return statut


def cpu_s(pid: int) -> float:
    champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(champs[11]) + int(champs[12])) / os.sysconf("SC_CLK_TCK")


def percentile(valeurs: list[float], p: float) -> float:
    ordonnees = sorted(valeurs)
    return ordonnees[min(len(ordonnees) - 1, int(round(p / 100 * (len(ordonnees) - 1))))]


async def charge_reguliere(demande, pid: int, cadence: int = CADENCE, duree: int = DUREE) -> dict:
    """`demande(i)` rend une coroutine du code HTTP ; une demande part toutes les 1/cadence s, en boucle ouverte.
    Le temps CPU que le serveur y a passé est relevé à côté (`/proc/PID/stat`)."""
    latences, erreurs, taches = [], [], []
    cpu_avant = cpu_s(pid)
    debut = time.perf_counter() + 0.1

    async def une(i: int, prevue: float) -> None:
        try:
            statut = await demande(i)
            if statut != 200:
                erreurs.append(f"HTTP {statut}")
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            erreurs.append(type(exc).__name__)
        latences.append(time.perf_counter() - prevue)

    for i in range(cadence * duree):
        prevue = debut + i / cadence
        attente = prevue - time.perf_counter()
        await asyncio.sleep(max(0.0, attente))  # always yield: the answers are read meanwhile
        taches.append(asyncio.create_task(une(i, prevue)))
    await asyncio.gather(*taches)
    ecoule = time.perf_counter() - debut
    return {"n": len(latences), "cadence": len(latences) / ecoule, "p50": percentile(latences, 50) * 1000,
            "p99": percentile(latences, 99) * 1000, "max": max(latences) * 1000, "erreurs": erreurs,
            "cpu": (cpu_s(pid) - cpu_avant) / len(latences) * 1000}


def _ligne(titre: str, r: dict) -> str:
    erreurs = len(r["erreurs"])
    detail = f" ({', '.join(sorted(set(r['erreurs'])))})" if erreurs else ""
    return (f"{titre}\n    {r['n']} demandes à {r['cadence']:.0f}/s : p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
            f"max {r['max']:.1f} ms, {erreurs} erreur(s){detail} ; CPU du serveur {r['cpu']:.2f} ms par demande")


def _session(port: int) -> str | None:
    """Le cookie d'une session d'instructeur, ouverte par le formulaire de connexion ; None si la page manque."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        trouve = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/connexion").text)
        if not trouve:
            return None
        reponse = client.post("/connexion", data={"email": "instructeur@bench.fr", "mot_de_passe": MOT_DE_PASSE,
                                                  "csrf_token": trouve.group(1)})
        return client.cookies.get("guichet_session") if reponse.status_code == 303 else None


async def mesurer(port: int, secret: str, corps: list[bytes], pid: int, memoire: int) -> None:
    client = ClientBrut(port)
    json_ = {"Content-Type": "application/json"}
    for i in range(300):  # warm-up: rulesets compiled, connections open
        await client.demande("POST", "/api/v1/evaluations", corps[i % len(corps)], json_)
    r = await charge_reguliere(lambda i: client.demande("POST", "/api/v1/evaluations", corps[i % len(corps)], json_),
                               pid)
    print(_ligne(f"POST /api/v1/evaluations, {CADENCE}/s pendant {DUREE} s", r), flush=True)

    autorisation = {"Authorization": f"Bearer {secret}"}
    adresse = f"/api/v1/dossiers?par_page={PAR_PAGE}"
    pages = STOCKES // PAR_PAGE
    r = await charge_reguliere(lambda i: client.demande("GET", f"{adresse}&page={1 + i % pages}", b"", autorisation),
                               pid)
    print(_ligne(f"GET {adresse}&page=… (jeton d'instructeur, {STOCKES} dossiers en base), {CADENCE}/s", r),
          flush=True)

    page = "/instruction/dossiers"
    cookie = _session(port)
    session = {"Cookie": f"guichet_session={cookie}"} if cookie else {}
    if cookie and await client.demande("GET", page, b"", session) == 200:
        r = await charge_reguliere(lambda i: client.demande("GET", f"{page}?par_page={PAR_PAGE}&page={1 + i % pages}",
                                                            b"", session), pid)
        print(_ligne(f"GET {page}?par_page={PAR_PAGE}&page=… (session d'instructeur), {CADENCE}/s", r), flush=True)
    else:
        print(f"GET {page} : la page ne répond pas (encore) ; seule la liste de l'API est mesurée", flush=True)

    if memoire:
        await _memoire(client, corps, pid, memoire)


async def _memoire(client: ClientBrut, corps: list[bytes], pid: int, total: int) -> None:
    """`total` évaluations enchaînées par 8 clients : le RSS du serveur tous les 10 000."""
    print(f"Mémoire du serveur (RSS) pendant {total} évaluations enchaînées :", flush=True)
    faites, debut, releves = 0, time.perf_counter(), [rss_mo(pid)]
    print(f"    {0:>7} : {releves[-1]:6.1f} Mo", flush=True)

    async def ouvrier() -> None:
        nonlocal faites
        while faites < total:
            faites += 1
            n = faites
            statut = await client.demande("POST", "/api/v1/evaluations", corps[n % len(corps)],
                                          {"Content-Type": "application/json"})
            if statut != 200:
                raise SystemExit(f"bench : évaluation n° {n} en erreur HTTP {statut}")
            if n % RELEVE_TOUS_LES == 0:
                releves.append(rss_mo(pid))
                print(f"    {n:>7} : {releves[-1]:6.1f} Mo  ({n / (time.perf_counter() - debut):.0f} évaluations/s)",
                      flush=True)

    await asyncio.gather(*(ouvrier() for _ in range(8)))
    reference = releves[2] if len(releves) > 2 else releves[0]
    print(f"    écart entre {RELEVE_TOUS_LES * 2} et {total} évaluations : {releves[-1] - reference:+.1f} Mo",
          flush=True)


def main() -> None:
    global DUREE, STOCKES
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--memoire", type=int, default=EVALUATIONS_MEMOIRE,
                            help="évaluations enchaînées pour la mesure de mémoire (0 : sans)")
    parametres.add_argument("--duree", type=int, default=DUREE, help="secondes de chaque charge régulière")
    parametres.add_argument("--stockes", type=int, default=STOCKES, help="dossiers enregistrés pour la liste")
    options = parametres.parse_args()
    DUREE, STOCKES = options.duree, options.stockes
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {1})  # the load generator on core 1, the server on core 0
    with tempfile.TemporaryDirectory(prefix="guichet-bench-web-") as dossier:
        donnees = Path(dossier)
        debut = time.perf_counter()
        _, realistes = generer(STOCKES)
        preparer(donnees, realistes)
        secret = jeton(donnees)
        print(f"Base prête : {STOCKES} dossiers déposés et évalués ({time.perf_counter() - debut:.1f} s)", flush=True)
        corps = [json.dumps(d, ensure_ascii=False).encode() for d in realistes[:1000]]
        with socket_libre() as port:
            pass
        serveur = demarrer(donnees, port)
        print(f"Serveur sur le cœur 0, charge sur le cœur 1 ; charge moyenne de la machine : "
              f"{os.getloadavg()[0]:.1f} (2 cœurs)", flush=True)
        try:
            asyncio.run(mesurer(port, secret, corps, serveur.pid, options.memoire))
        finally:
            arreter(serveur)


class socket_libre:
    def __enter__(self) -> int:
        import socket
        self._s = socket.socket()
        self._s.bind(("127.0.0.1", 0))
        return self._s.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self._s.close()


if __name__ == "__main__":
    main()
