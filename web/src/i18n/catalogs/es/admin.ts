import type { CatalogOf } from "../../types";

export default {
  refund: {
    done: "Se devolvieron {minutes} a {name}.",
    takenBack: "{minutes} volvieron a la cartera de {name}, pero {taken} se retiraron al instante: la compra de la que venían fue reembolsada por Stripe o perdió una disputa. El saldo de {name} creció {kept}.",
    onHold: "{minutes} quedan retenidos mientras siga abierta una disputa de su pago.",
    already: "Ya reembolsado: {minutes} volvieron a {name} el {date}. No se devolvió nada más.",
    moved: "Sin reembolso: el crédito de {name} pagó una sesión de reemplazo con {tutor} el {date}.",
    movedSomewhere: "Sin reembolso: el crédito de {name} pagó una sesión de reemplazo con otro tutor.",
    nothing: "Sin reembolso: esta plaza no usó crédito.",
    anotherTutor: "otro tutor",
    openReplacement: "Abrir la sesión de reemplazo",
    stateTitle: "No se reembolsó nada",
  },
} satisfies CatalogOf<"admin">;
