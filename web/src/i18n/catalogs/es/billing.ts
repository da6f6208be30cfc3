import type { CatalogOf } from "../../types";

export default {
  pause: {
    title: "Pausa tu plan",
    intro: "¿Vas a estar fuera? Pausa de 1 a 4 semanas, una vez por periodo de facturación. Tu renovación y la caducidad de tus créditos se mueven lo que dure la pausa, y las clases semanales de esas semanas se omiten (sin cobro; tus tutores reciben aviso).",
    weeksLabel: "Pausar durante",
    weeks: { one: "{count} semana", other: "{count} semanas" },
    action: "Pausar plan",
    pending: "Pausando…",
    pausedUntil: "En pausa hasta el {until}.",
    renewsAfter: "Tu plan se renueva el {renewal}.",
    resume: "Reanudar ahora",
    resuming: "Reanudando…",
    resumeHint: "Si reanudas antes, tus fechas se mueven solo el tiempo que estuviste en pausa.",
    used: "Ya pausaste en este periodo de facturación (hasta el {until}); podrás volver a pausar después de la renovación.",
    unavailable: "Un plan que cambia o termina en la renovación no se puede pausar.",
    done: "En pausa hasta el {until}. Tu plan ahora se renueva el {renewal}.",
    resumed: "Bienvenido de nuevo. Tu plan se renueva el {renewal}.",
  },
} satisfies CatalogOf<"billing">;
