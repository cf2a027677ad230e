"""PayFiP's SOAP client aimed at another address than the DGFiP's (`service_url`: a test
double, a staging service). Imported only when a PayFiP payment talks to its service
(payments.providers): zeep is not loaded by every web worker.
"""

import zeep
from eopayment import payfip_ws

PAYFIP_BINDING = (
    "{http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService}PaiementSecuriseServicePortBinding"
)


class _ZeepClientAt(zeep.Client):
    """eopayment's bundled WSDL, its service reached at another address (`service_url`)."""

    # zeep has no annotations.
    def __init__(self, wsdl: str, address: str) -> None:
        super().__init__(wsdl)  # type: ignore[no-untyped-call]
        self._service_at: zeep.proxy.ServiceProxy = self.create_service(  # type: ignore[no-untyped-call]
            PAYFIP_BINDING, address
        )

    @property
    def service(self) -> zeep.proxy.ServiceProxy:
        return self._service_at


# eopayment ships no type information: its PayFiP client is Any to mypy.
class PayFiPAt(payfip_ws.PayFiP):  # type: ignore[misc]
    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    @property
    def client(self) -> _ZeepClientAt:
        if not hasattr(self, "_client"):
            self._client = _ZeepClientAt(self.wsdl_url, self.address)
        return self._client
