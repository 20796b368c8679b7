"""Mesures de débit et de mémoire (`make bench`) ; rien du projet n'importe ce paquet."""
