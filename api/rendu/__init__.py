"""Mettre en forme ce que le domaine a décidé, pour la ligne de commande comme pour le web :
documents HTML et PDF, tableurs XLSX et CSV, tableaux de texte."""
