"""Les entrées : la ligne de commande (et, plus tard, l'application web). Rien ne l'importe."""
