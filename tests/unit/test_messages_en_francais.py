"""Ce que l'utilisateur lit est en français : erreurs JSON, erreurs de la base ; l'avancement ne s'écrit
qu'au terminal."""
import io
import json

import orjson
import pytest

ANGLAIS = ("Expecting", "unexpected", "expected", "Invalid", "Extra data", "not allowed", "surrogate", "Input ",
           "no such", "file is not", "Connection refused", "does not exist", "failed", "constraint")


def _message_json(texte: str, lecteur) -> str:
    try:
        lecteur(texte)
    except json.JSONDecodeError as exc:
        return exc.msg
    raise AssertionError(f"{texte!r} accepté")


@pytest.mark.parametrize("texte", ["", "{", '{"a":}', "[1,]", '{"a" 1}', "nul", '"abc', '{"a":1}{', "[1 2]",
                                   "{'a':1}", '{"a":1,}', '"\x01"', '{"a":01}', '"\\ud800"', "[1e400]", "tru",
                                   '"\\x"', '"\\u12"', "\ud800"])
@pytest.mark.parametrize("lecteur", [json.loads, orjson.loads], ids=["json", "orjson"])
def test_les_messages_des_deux_lecteurs_json_sont_traduits(texte, lecteur):
    from api.lecture import message_json
    try:
        anglais = _message_json(texte, lecteur)
    except AssertionError:
        pytest.skip("ce lecteur accepte ce texte")
    francais = message_json(anglais)
    assert not any(mot in francais for mot in ANGLAIS), (anglais, francais)
    assert francais != "syntaxe invalide", f"message non traduit : {anglais}"


@pytest.mark.parametrize("anglais, francais", [
    ("file is not a database", "ce fichier n'est pas une base SQLite"),
    ("no such table: dossiers", "table absente : dossiers"),
    ('connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused',
     "connexion au serveur 127.0.0.1, port 1 impossible : connexion refusée (le serveur est-il démarré ?)"),
    ('could not translate host name "hote" to address: Name or service not known', "nom d'hôte « hote » inconnu"),
    ('password authentication failed for user "guichet"', "mot de passe refusé pour l'utilisateur « guichet »"),
    ("UNIQUE constraint failed: dossiers.reference", "valeur déjà enregistrée (unicité de dossiers.reference)"),
    ("PostgreSQL text fields cannot contain NUL (0x00) bytes", "caractère nul (U+0000) refusé par PostgreSQL"),
])
def test_les_messages_de_la_base_sont_traduits(anglais, francais):
    from instruction.storage.connexion import en_francais
    assert en_francais(anglais) == francais


@pytest.mark.parametrize("url, memoire", [("sqlite:///:memory:", True), ("sqlite://", True),
                                          ("sqlite:///file:x?mode=memory&uri=true", True),
                                          ("sqlite:///donnees/guichet.sqlite", False),
                                          ("postgresql://hote/base", False)])
def test_une_base_en_memoire_est_reconnue(url, memoire):
    from instruction.storage.connexion import en_memoire
    assert en_memoire(url) is memoire


class _Flux(io.StringIO):
    def __init__(self, terminal: bool):
        super().__init__()
        self._terminal = terminal

    def isatty(self) -> bool:
        return self._terminal


def test_hors_terminal_l_avancement_ne_dit_rien():
    from api.cli.progression import Progression
    flux = _Flux(terminal=False)
    progression = Progression(flux)
    for fait in range(1, 38):
        progression("évaluation", fait, 37)
    progression.annoncer("Mise en page du PDF…")
    progression.annoncer("terminée (3 pages, 1,2 s)")
    assert flux.getvalue() == ""


def test_au_terminal_une_ligne_par_pour_cent_et_l_annonce_sur_une_ligne():
    from api.cli.progression import Progression
    flux = _Flux(terminal=True)
    progression = Progression(flux)
    for fait in range(1, 100_001):
        progression("évaluation", fait, 100_000)
    assert flux.getvalue().count("\r") == 101  # 0 % to 100 %, not 100 000 redraws
    assert flux.getvalue().endswith("\rÉvaluation : 100\u202f000/100\u202f000 (100 %)\n")
    flux.seek(0), flux.truncate()
    progression.annoncer("Mise en page du PDF…")
    progression.annoncer("terminée (3 pages, 1,2 s)")
    assert flux.getvalue() == "Mise en page du PDF… terminée (3 pages, 1,2 s)\n"
