"""Les saisies hostiles sont refusées à la validation, champ nommé, en français : caractères de contrôle,
caractères invisibles, textes trop longs, booléens pris pour des montants, textes pris pour des nombres."""
import pytest

from forms.csv_contrat import ligne_vers_dossier
from forms.validation import valider_dossier

# The limits the README lists (« Entrées refusées »).
LONGUEURS = [("", "reference", 64), ("porteur", "nom", 200), ("projet", "titre", 300),
             ("projet", "description", 5000)]


def _erreurs(dossier: dict) -> dict[str, str]:
    valide, erreurs = valider_dossier(dossier)
    assert valide is None, "accepté à tort"
    return {e.champ: e.message for e in erreurs}


def _avec(bloc: str, champ: str, valeur) -> dict:
    return {"reference": "H-1", bloc: {champ: valeur}} if bloc else {"reference": valeur}


TEXTES = [("", "reference"), ("porteur", "nom"), ("projet", "titre"), ("projet", "description")]


@pytest.mark.parametrize("bloc, champ", TEXTES)
@pytest.mark.parametrize("caractere", ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\r"])
def test_un_caractere_de_controle_est_refuse_en_nommant_le_champ(bloc, champ, caractere):
    chemin = f"{bloc}.{champ}" if bloc else champ
    message = _erreurs(_avec(bloc, champ, f"A{caractere}B"))[chemin]
    assert message.startswith("caractère de contrôle interdit (U+")
    assert "position 2" in message


@pytest.mark.parametrize("bloc, champ", [("", "reference"), ("porteur", "nom"), ("projet", "titre")])
@pytest.mark.parametrize("caractere", ["\t", "\n", "\u2028"])
def test_un_champ_d_une_ligne_refuse_tabulations_et_sauts_de_ligne(bloc, champ, caractere):
    chemin = f"{bloc}.{champ}" if bloc else champ
    assert "ce champ tient sur une ligne" in _erreurs(_avec(bloc, champ, f"A{caractere}B"))[chemin]


def test_la_description_garde_tabulations_et_sauts_de_ligne_et_ramene_crlf_a_lf():
    dossier, erreurs = valider_dossier(_avec("projet", "description", "Objet :\r\n\t- une aire\n\t- un abri"))
    assert erreurs == []
    assert dossier.projet.description == "Objet :\n\t- une aire\n\t- un abri"


def test_une_moitie_de_paire_utf16_est_refusee_en_francais():
    # json.loads lets "\ud800" through; neither UTF-8 nor PostgreSQL can store it.
    assert "moitié de paire UTF-16" in _erreurs(_avec("projet", "titre", "A\ud800"))["projet.titre"]


@pytest.mark.parametrize("caractere", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                                       "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_une_reference_refuse_forcages_d_ecriture_et_caracteres_invisibles(caractere):
    message = _erreurs(_avec("", "reference", f"LA-2025{caractere}-001"))["reference"]
    assert message.startswith(f"caractère invisible interdit (U+{ord(caractere):04X}")


@pytest.mark.parametrize("bloc, champ, valeur", [("porteur", "siret", "2162091\u200b0600014"),
                                                 ("projet", "commune_insee", "62\u202e119")])
def test_un_identifiant_refuse_les_caracteres_invisibles(bloc, champ, valeur):
    assert _erreurs(_avec(bloc, champ, valeur))[f"{bloc}.{champ}"].startswith("caractère invisible interdit")


def test_des_chiffres_d_une_autre_ecriture_ne_font_pas_un_code_insee():
    assert "5 caractères" in _erreurs(_avec("projet", "commune_insee", "６２１１９"))["projet.commune_insee"]


@pytest.mark.parametrize("bloc, champ, maximum", LONGUEURS)
def test_chaque_texte_a_une_longueur_maximale(bloc, champ, maximum):
    from forms.textes import LONGUEUR_DESCRIPTION, LONGUEUR_NOM, LONGUEUR_REFERENCE, LONGUEUR_TITRE
    assert [m for *_, m in LONGUEURS] == [LONGUEUR_REFERENCE, LONGUEUR_NOM, LONGUEUR_TITRE, LONGUEUR_DESCRIPTION]
    chemin = f"{bloc}.{champ}" if bloc else champ
    assert valider_dossier(_avec(bloc, champ, "x" * maximum))[1] == []
    message = _erreurs(_avec(bloc, champ, "x" * (maximum + 1)))[chemin]
    milliers = lambda n: f"{n:,}".replace(",", "\u202f")  # noqa: E731
    assert message == f"trop long : {milliers(maximum)} caractères au plus ({milliers(maximum + 1)} reçus)"


def test_une_reference_de_5000_caracteres_est_refusee():
    message = _erreurs(_avec("", "reference", "R" * 5000))["reference"]
    assert message == "trop long : 64 caractères au plus (5\u202f000 reçus)"


@pytest.mark.parametrize("bloc, champ", [("budget", "montant_sollicite"), ("budget", "cout_total_ht"),
                                         ("porteur", "aides_minimis_3_ans")])
@pytest.mark.parametrize("valeur", [True, False, "12", "12,5", "douze"])
def test_un_montant_est_un_nombre_json_pas_un_booleen_ni_un_texte(bloc, champ, valeur):
    assert _erreurs(_avec(bloc, champ, valeur))[f"{bloc}.{champ}"] == "doit être un nombre (en euros HT)"


def test_un_montant_entier_ou_decimal_reste_accepte():
    for valeur in (12, 12.5, 0):
        assert valider_dossier(_avec("budget", "montant_sollicite", valeur))[1] == []


def test_une_ligne_de_financement_refuse_un_booleen_pour_montant():
    erreurs = _erreurs({"reference": "H-1", "budget": {"financements": [
        {"financeur": "departement_62", "montant": True, "statut": "sollicite"}]}})
    assert erreurs == {"budget.financements.0.montant": "doit être un nombre (en euros HT)"}


@pytest.mark.parametrize("valeur", ["true", "oui", 1, 0, "1", "yes"])
def test_un_booleen_est_true_ou_false_pas_un_texte_ni_un_nombre(valeur):
    assert _erreurs(_avec("projet", "accessibilite", valeur))["projet.accessibilite"] == \
        "doit valoir vrai ou faux (true/false)"


@pytest.mark.parametrize("valeur", [0, 1700000000, 20250310, True])
def test_une_date_est_ecrite_pas_comptee(valeur):
    assert _erreurs({"reference": "H-1", "date_depot": valeur})["date_depot"] == \
        "doit être une date au format AAAA-MM-JJ"


@pytest.mark.parametrize("cellule, attendu", [("12", 12.0), ("12,5", 12.5), ("1 250,50", 1250.5),
                                              ("1\u202f250", 1250.0), ("1\u00a0250", 1250.0), ("1.5E+05", 150000.0)])
def test_le_csv_lit_les_nombres_ecrits_a_la_francaise(cellule, attendu):
    assert ligne_vers_dossier({"budget.montant_sollicite": cellule})["budget"]["montant_sollicite"] == attendu


@pytest.mark.parametrize("cellule", ["nan", "inf", "infinity", "1_000", "١٢", "12 €", "1,000.50", "0x10", "vrai"])
def test_le_csv_refuse_ce_qui_n_est_pas_exactement_un_nombre(cellule):
    dossier = {"reference": "H-1", **ligne_vers_dossier({"budget.montant_sollicite": cellule})}
    assert _erreurs(dossier)["budget.montant_sollicite"] == "doit être un nombre (en euros HT)"


@pytest.mark.parametrize("cellule", ["yes", "on", "t", "y", "2", "peut-être"])
def test_le_csv_refuse_ce_qui_n_est_pas_un_des_mots_booleens(cellule):
    dossier = {"reference": "H-1", **ligne_vers_dossier({"projet.accessibilite": cellule})}
    assert _erreurs(dossier)["projet.accessibilite"] == "doit valoir vrai ou faux (true/false)"


@pytest.mark.parametrize("cellule, attendu", [("oui", True), ("Non", False), ("vrai", True), ("0", False)])
def test_le_csv_lit_les_mots_booleens(cellule, attendu):
    assert ligne_vers_dossier({"projet.accessibilite": cellule})["projet"]["accessibilite"] is attendu


def test_une_valeur_inconnue_est_citee_sur_une_ligne_courte_et_sans_caractere_de_controle():
    message = _erreurs(_avec("projet", "nature", "\x1b[2J" + "x" * 500))["projet.nature"]
    assert "\x1b" not in message and "\\x1b[2J" in message and "x" * 61 not in message and "…" in message


def test_une_cle_inconnue_est_nommee_sans_caractere_invisible():
    assert "bud\\u202eget" in _erreurs({"reference": "H-1", "bud\u202eget": {}})


def test_une_valeur_imbriquee_mille_fois_est_citee_sans_deborder():
    # 1 020 deep: within what the JSON reader allows (1 024), beyond what str() can recurse through.
    valeur: list = []
    for _ in range(1020):
        valeur = [valeur]
    assert "valeur inconnue" in _erreurs(_avec("projet", "nature", valeur))["projet.nature"]


def test_visible_montre_les_caracteres_invisibles_et_coupe():
    from forms.textes import visible
    assert visible("a\x00b\u202ec") == "a\\x00b\\u202ec"
    assert visible("x" * 100, 10) == "x" * 10 + "…"


@pytest.mark.parametrize("n, attendu", [(0, "0 dossier évalué"), (1, "1 dossier évalué"), (2, "2 dossiers évalués"),
                                        (37, "37 dossiers évalués"), (1500, "1\u202f500 dossiers évalués")])
def test_pluriel(n, attendu):
    from forms.libelles import pluriel
    assert pluriel(n, "dossier évalué") == attendu


def test_pluriel_laisse_les_mots_invariables_et_accepte_un_pluriel_donne():
    from forms.libelles import pluriel
    assert pluriel(3, "dossier importé et inscrit") == "3 dossiers importés et inscrits"
    assert pluriel(2, "travail", "travaux") == "2 travaux"


@pytest.mark.parametrize("valeur, attendu", [(19.6, "19,6"), (32.0, "32"), (0.001, "0,001"), (5000, "5\u202f000")])
def test_nombre_a_la_francaise(valeur, attendu):
    from forms.libelles import nombre
    assert nombre(valeur) == attendu


def test_couper_entre_deux_mots_avec_une_ellipse():
    from forms.libelles import couper
    assert couper("Communauté d'agglomération de Béthune-Bruay", 30) == "Communauté d'agglomération…"
    assert couper("Commune de Béthune", 30) == "Commune de Béthune"
    assert couper("A" * 40, 30) == "A" * 29 + "…"
