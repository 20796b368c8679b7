"""Le filtre et le tri de la liste des services, en Python, pour le faux dépôt des dossiers (`faux.py`).

Ce sont les mêmes règles que la requête SQL de `EntrepotDossiersSql.rechercher` ; les tests d'intégration
vérifient que les deux rendent les mêmes références.
"""
from typing import Iterable

from forms.valeurs import AVIS
from instruction.dossiers.cycle import ETATS
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.recherche import Criteres, LigneDossier, normaliser, texte_de_recherche


def ligne(d: DossierInstruit) -> LigneDossier:
    retenue = d.evaluation_retenue()
    return LigneDossier(d.reference, d.etat, d.donnees.porteur.nom, d.donnees.porteur.siret, d.donnees.projet.titre,
                        d.donnees.projet.commune_insee, d.donnees.date_depot, retenue.avis if retenue else None,
                        retenue.statuts() if retenue else {},
                        sum(1 for c in d.corrections if c.a_revoir and c.active),
                        d.evaluations_anterieures + len(d.evaluations), d.proprietaire)


def _garde(d: DossierInstruit, x: LigneDossier, criteres: Criteres) -> bool:
    f = criteres.filtre
    texte = f.texte_normalise
    return ((f.etat is None or x.etat == f.etat) and (f.avis is None or x.avis == f.avis)
            and all(x.statuts.get(financeur) == statut for financeur, statut in f.statuts)
            and (criteres.communes is None or x.commune_insee in criteres.communes)
            and (f.depose_du is None or (x.date_depot is not None and x.date_depot >= f.depose_du))
            and (f.depose_au is None or (x.date_depot is not None and x.date_depot <= f.depose_au))
            and (not f.a_revoir or x.a_revoir > 0)
            and (not texte or texte in texte_de_recherche(x.reference, x.porteur, x.siret, x.titre)))


def _cle(x: LigneDossier, tri: str):
    valeur = {"reference": x.reference, "porteur": (x.porteur or "").lower() if x.porteur else None,
              "titre": x.titre.lower() if x.titre else None, "commune": x.commune_insee, "depot": x.date_depot,
              "etat": ETATS.index(x.etat), "avis": AVIS.index(x.avis) if x.avis else len(AVIS),
              "a_revoir": x.a_revoir}[tri]
    return valeur


def lignes_du_filtre(dossiers: Iterable[DossierInstruit], criteres: Criteres) -> list[LigneDossier]:
    f = criteres.filtre
    lignes = [x for d in dossiers if _garde(d, x := ligne(d), criteres)]
    lignes.sort(key=lambda x: x.reference)  # ties: by reference, always ascending
    presentes = [x for x in lignes if _cle(x, f.tri) is not None]
    absentes = [x for x in lignes if _cle(x, f.tri) is None]  # unknown values last, whatever the direction
    presentes.sort(key=lambda x: _cle(x, f.tri), reverse=f.sens == "decroissant")
    return presentes + absentes


__all__ = ["ligne", "lignes_du_filtre", "normaliser"]
