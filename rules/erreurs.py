"""Erreurs des fichiers de règles : chacune nomme le fichier, la règle et le problème."""
from typing import Optional


class ErreurRegle(Exception):
    def __init__(self, fichier: str, message: str, regle: Optional[str] = None, ligne: Optional[int] = None):
        self.fichier = fichier
        self.regle = regle
        self.ligne = ligne
        self.detail = message
        ou = fichier + (f":{ligne}" if ligne else "")
        qui = f" règle {regle} :" if regle else ""
        super().__init__(f"{ou}:{qui} {message}")


class ErreursRegles(Exception):
    """Toutes les erreurs d'un chargement, pour les montrer d'un coup."""

    def __init__(self, erreurs: list[ErreurRegle]):
        self.erreurs = erreurs
        super().__init__("\n".join(str(e) for e in erreurs))
