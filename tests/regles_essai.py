"""Deux petites versions de règles écrites pour les tests de `guichet rules impact`, et des dossiers à leur
mesure : les résultats attendus se lisent sur les règles, sans dépendre des fichiers de rules/regles."""
import copy
import json
from functools import cache
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]


@cache
def _aire() -> dict:
    # Read on first use (from a fixture or a test), never when a test module is imported.
    return json.loads((RACINE / "examples" / "aire-camping-cars.json").read_text(encoding="utf-8"))

_REGLE = """
  - id: {id}
    titre: {titre}
    financeur: {financeur}
    effet: {effet}
    si: {si}
    message: {titre}.
    source: {{document: essai.txt, reference: Article 1, extrait: un passage}}
    interpretation: false
    en_vigueur: {{du: 2020-01-01, au: 2030-12-31}}
"""
REGION = ("essai.region_cout", "Un projet d'au moins SEUIL euros", "region_hdf", "eligible",
          "{budget.cout_total_ht: {min: SEUIL}}")
ADEME = ("essai.ademe_restauration", "La restauration", "ademe_fonds_tourisme_durable", "eligible",
         "{projet.secteur: restauration}")
AVERTISSEMENT = ("essai.avertissement_prive", "Un porteur privé", "null", "avertissement",
                 "{porteur.type: entreprise}")
INFORMATION = ("essai.info_commune", "Une commune", "null", "information", "{porteur.type: commune}")


def textes_regles(seuil: int, *regles: tuple[str, ...]) -> dict[str, str]:
    """Les fichiers d'une version (nom -> texte) : la règle de la Région au `seuil` donné, puis les `regles`
    nommées ci-dessus."""
    texte = "regles:" + "".join(
        _REGLE.format(id=r[0], titre=r[1], financeur=r[2], effet=r[3], si=r[4]).replace("SEUIL", str(seuil))
        for r in (REGION, *regles))
    return {"essai.yaml": texte}


def textes_des_versions() -> tuple[dict[str, str], dict[str, str]]:
    """Avant : seuil de 100 000 €, la restauration ouvre l'ADEME. Après : seuil de 200 000 €, plus de règle
    ADEME, une information sur les communes en plus ; l'avertissement des entreprises ne change pas."""
    return textes_regles(100000, ADEME, AVERTISSEMENT), textes_regles(200000, AVERTISSEMENT, INFORMATION)


def ecrire_regles(dossier: Path, textes: dict[str, str]) -> Path:
    """Un dossier de règles écrit sur le disque, pour la ligne de commande."""
    dossier.mkdir(parents=True, exist_ok=True)
    for nom, texte in textes.items():
        (dossier / nom).write_text(texte, encoding="utf-8")
    return dossier


def versions(racine: Path) -> tuple[Path, Path]:
    """Les deux versions de `textes_des_versions`, écrites dans racine/avant et racine/apres."""
    avant, apres = textes_des_versions()
    return ecrire_regles(racine / "avant", avant), ecrire_regles(racine / "apres", apres)


def dossier(reference: str, cout: int, secteur: str = "hebergement", porteur: str = "commune") -> dict:
    d = copy.deepcopy(_aire())
    d["reference"] = reference
    d["porteur"]["type"] = porteur
    if porteur == "entreprise":
        d["porteur"].update(taille="petite", aides_minimis_3_ans=0)
    d["projet"]["secteur"] = secteur
    if secteur != "hebergement":
        d["projet"]["hebergement_type"] = None
    d["budget"].update(cout_total_ht=cout, depenses_investissement=cout, montant_sollicite=10000, financements=[])
    return d


def lot() -> list[dict]:
    """ESSAI-A 150 000 € : la Région se ferme. ESSAI-B 250 000 € : seule l'information s'ajoute. ESSAI-C
    restaurant à 150 000 € : Région et ADEME se ferment. ESSAI-D restaurant d'une entreprise à 250 000 € :
    l'ADEME se ferme, la Région reste ouverte ; l'avertissement ne bouge pas. ESSAI-E hôtel d'une entreprise à
    250 000 € : rien ne change."""
    return [dossier("ESSAI-A", 150000), dossier("ESSAI-B", 250000), dossier("ESSAI-C", 150000, "restauration"),
            dossier("ESSAI-D", 250000, "restauration", "entreprise"), dossier("ESSAI-E", 250000, porteur="entreprise")]
