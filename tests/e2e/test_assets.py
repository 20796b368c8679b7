"""`make assets` : chaque paquet npm épinglé est vérifié sur son empreinte avant d'être installé, et seuls les
fichiers nommés sortent de l'archive."""
import base64
import hashlib
import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("assets_web", RACINE / "scripts" / "assets_web.py")
assets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(assets)


def _archive(chemin: Path, fichiers: dict[str, bytes]) -> Path:
    with tarfile.open(chemin, "w:gz") as tar:
        for nom, contenu in fichiers.items():
            info = tarfile.TarInfo(nom)
            info.size = len(contenu)
            tar.addfile(info, io.BytesIO(contenu))
    return chemin


def test_l_empreinte_est_celle_du_registre_npm(tmp_path):
    archive = _archive(tmp_path / "p.tgz", {"package/a.js": b"1"})
    attendue = "sha512-" + base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode()
    assert assets.integrite(archive) == attendue


def test_une_archive_qui_differe_de_l_epinglage_est_refusee(tmp_path):
    archive = _archive(tmp_path / "p.tgz", {"package/a.js": b"falsifie"})
    empreinte = assets.integrite(archive)
    with pytest.raises(assets.RefusAssets, match="différente de l'empreinte épinglée.*refusée"):
        assets.verifier("paquet", "1.0.0", "sha512-autre", archive, empreinte)


def test_une_archive_qui_differe_de_ce_qu_annonce_le_registre_est_refusee(tmp_path):
    archive = _archive(tmp_path / "p.tgz", {"package/a.js": b"1"})
    empreinte = assets.integrite(archive)
    with pytest.raises(assets.RefusAssets, match="qu'annonce le registre npm.*refusée"):
        assets.verifier("paquet", "1.0.0", empreinte, archive, "sha512-autre")
    assets.verifier("paquet", "1.0.0", empreinte, archive, empreinte)  # both agree: accepted


def test_seuls_les_fichiers_nommes_sont_extraits(tmp_path):
    archive = _archive(tmp_path / "p.tgz", {"package/a.js": b"a", "package/b.js": b"b", "../evade.js": b"x"})
    assets.extraire(archive, {"package/a.js": "a.min.js"}, tmp_path / "sortie")
    assert [p.name for p in (tmp_path / "sortie").iterdir()] == ["a.min.js"]
    assert not (tmp_path / "evade.js").exists()
    with pytest.raises(assets.RefusAssets, match="absents de l'archive : package/c.js"):
        assets.extraire(archive, {"package/c.js": "c.js"}, tmp_path / "sortie")


def test_les_paquets_installes_sont_ceux_qui_sont_epingles():
    # make assets ran before the tests (make test depends on it): the witness names the pinned versions.
    temoin = json.loads(assets.TEMOIN.read_text(encoding="utf-8"))
    assert temoin == assets.epinglages()
    assert assets.a_jour()
    assert not list(assets.VENDOR.rglob("*.woff*")), "aucune police GDS Transport n'est livrée"
