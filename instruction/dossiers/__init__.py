"""Instruire un dossier : son cycle de vie (`cycle`, `dossier_instruit`), les corrections de
l'instructeur (`corrections`) et les cas d'usage sur les ports (`services`)."""
