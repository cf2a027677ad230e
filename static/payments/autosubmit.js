// Sends the tenant on to the payment provider's page at once; without JavaScript, the
// page's own "Continuer vers le paiement sécurisé" button does the same.
document.getElementById("vers-prestataire").submit();
