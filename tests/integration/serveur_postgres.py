"""Un serveur PostgreSQL jetable pour les tests d'intégration et les mesures (`bench/`).

`ServeurPostgres` crée une grappe dans un dossier temporaire, la démarre sur un port libre de
127.0.0.1, crée la base `guichet` et rend son URL SQLAlchemy ; `arreter()` l'arrête et efface
tout. Si `DATABASE_URL` désigne déjà un serveur PostgreSQL, `url_postgres_externe()` la rend.
"""
import atexit
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import make_url

REGLAGES = {
    # A throwaway cluster: durability buys nothing, speed does.
    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
    "max_connections": "100", "listen_addresses": "'127.0.0.1'", "log_min_messages": "warning",
}
NOM_DE_BASE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class ErreurServeurPostgres(RuntimeError):
    pass


def trouver_binaires() -> Path | None:
    """Le dossier de `pg_ctl` et `initdb` : la version la plus récente de /usr/lib/postgresql, sinon le PATH."""
    def version(dossier: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", dossier.parent.name)) or (0,)
    candidats = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    if pg_ctl := shutil.which("pg_ctl"):
        candidats.append(Path(pg_ctl).resolve().parent)
    return next((d for d in candidats if (d / "pg_ctl").is_file() and (d / "initdb").is_file()), None)


def url_postgres_externe() -> str | None:
    """`DATABASE_URL` si elle désigne un serveur PostgreSQL, avec le pilote psycopg 3 (seul installé)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres://")):
        return None
    # A bare postgresql:// means psycopg2 to SQLAlchemy, which is not installed.
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def creer_base(url: str, nom: str) -> str:
    """Crée la base `nom` sur le serveur de `url` (y compris externe) et rend son URL."""
    if not NOM_DE_BASE.match(nom):
        raise ValueError(f"nom de base refusé : {nom!r}")
    admin = make_url(url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connexion:
        connexion.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nom)))
    return make_url(url).set(database=nom).render_as_string(hide_password=False)


class ServeurPostgres:
    def __init__(self, dossier_bin: Path | None = None, delai: float = 30.0):
        self.dossier_bin = dossier_bin or trouver_binaires()
        if self.dossier_bin is None:
            raise ErreurServeurPostgres("binaires PostgreSQL introuvables (/usr/lib/postgresql/*/bin, PATH)")
        self.delai = delai
        self.dossier: Path | None = None
        self.port: int | None = None
        self.url: str | None = None
        self._pid_createur = os.getpid()

    def __enter__(self) -> "ServeurPostgres":
        return self.demarrer() and self

    def __exit__(self, *exc) -> None:
        self.arreter()

    def _lancer(self, *argv: str | Path) -> subprocess.CompletedProcess:
        # initdb, pg_ctl and postgres refuse to run as root: drop to the postgres user, with its
        # own group (subprocess keeps gid 0 unless told) and none of root's supplementary groups.
        compte = _compte_postgres()
        en_tant_que = {"user": compte.pw_uid, "group": compte.pw_gid, "extra_groups": []} if compte else {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}  # PGPORT etc. would win
        env.update(LC_ALL="C", HOME=str(self.dossier))
        # cwd: postgres may not be allowed to look at the caller's working directory.
        return subprocess.run([str(a) for a in argv], cwd=self.dossier, env=env, capture_output=True,
                              text=True, timeout=self.delai + 30, **en_tant_que)

    def _journal(self, lignes: int = 30) -> str:
        try:
            return "\n".join((self.dossier / "journal.log").read_text(errors="replace").splitlines()[-lignes:])
        except OSError:
            return "(pas de journal)"

    def demarrer(self) -> str:
        compte = _compte_postgres()
        # /tmp is world-traversable, unlike a TMPDIR such as /root/tmp, and keeps the socket path short.
        self.dossier = Path(tempfile.mkdtemp(prefix="guichet-pg-", dir="/tmp"))
        if compte:
            os.chown(self.dossier, compte.pw_uid, compte.pw_gid)
        atexit.register(self.arreter)
        donnees = self.dossier / "donnees"
        initdb = self._lancer(self.dossier_bin / "initdb", "-D", donnees, "-A", "trust", "-U", "postgres",
                              "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
        if initdb.returncode != 0:
            self.arreter()
            raise ErreurServeurPostgres(f"initdb a échoué :\n{initdb.stdout}\n{initdb.stderr}")
        for _essai in range(3):  # another process may grab the free port before postgres binds it
            self.port = _port_libre()
            reglages = dict(REGLAGES, port=str(self.port), unix_socket_directories=f"'{self.dossier}'")
            with open(donnees / "postgresql.conf", "a") as conf:  # later lines win over earlier tries
                conf.writelines(f"{cle} = {valeur}\n" for cle, valeur in reglages.items())
            pg_ctl = self._lancer(self.dossier_bin / "pg_ctl", "start", "-D", donnees, "-l",
                                  self.dossier / "journal.log", "-w", "-t", str(int(self.delai)))
            if pg_ctl.returncode == 0 or "could not bind" not in self._journal():
                break
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/guichet"
        try:
            if pg_ctl.returncode != 0:
                raise ErreurServeurPostgres(f"pg_ctl start a échoué : {pg_ctl.stderr.strip()}")
            self._attendre()
            creer_base(self.url, "guichet")
        except Exception as erreur:
            journal = self._journal()
            self.arreter()
            raise ErreurServeurPostgres(f"{erreur}\n--- fin du journal du serveur ---\n{journal}") from erreur
        return self.url

    def _attendre(self) -> None:
        # pg_ctl -w pings the unix socket; the URL uses TCP, so wait for that one too.
        limite = time.monotonic() + self.delai
        while True:
            try:
                psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                                connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > limite:
                    raise
                time.sleep(0.1)

    def nouvelle_base(self, nom: str) -> str:
        if self.url is None:
            raise ErreurServeurPostgres("serveur non démarré")
        return creer_base(self.url, nom)

    def arreter(self) -> None:
        # Also runs from atexit: a forked child (multiprocessing) must not stop its parent's server.
        if self.dossier is None or os.getpid() != self._pid_createur:
            return
        atexit.unregister(self.arreter)
        donnees = self.dossier / "donnees"
        if (donnees / "postmaster.pid").exists():
            arret = self._lancer(self.dossier_bin / "pg_ctl", "stop", "-D", donnees, "-m", "fast", "-w")
            if arret.returncode != 0 and "does not shut down" in arret.stdout + arret.stderr:
                # Stuck (e.g. a client holding a lock): immediate mode, pg_ctl sends SIGQUIT itself.
                self._lancer(self.dossier_bin / "pg_ctl", "stop", "-D", donnees, "-m", "immediate", "-w")
        shutil.rmtree(self.dossier, ignore_errors=True)
        self.dossier, self.url = None, None


def _compte_postgres() -> pwd.struct_passwd | None:
    """Le compte qui fait tourner le serveur quand on est root, None sinon (on le fait tourner soi-même)."""
    if os.geteuid() != 0:
        return None
    if "postgres" not in {c.pw_name for c in pwd.getpwall()}:
        raise ErreurServeurPostgres("en root, il faut un utilisateur postgres pour lancer le serveur")
    return pwd.getpwnam("postgres")


def _port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
