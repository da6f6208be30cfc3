import type { CatalogOf } from "../../types";

export default {
  availability: {
    coveredTitle: { one: "Una sesión reservada cae en las fechas que estás cambiando", other: "{count} sesiones reservadas caen en las fechas que estás cambiando" },
    coveredHelp: "Mantén tu horario o cancela estas sesiones: a cada estudiante se le ofrecen otros tutores libres a la misma hora, o recupera sus créditos.",
    coveredList: "Sesiones afectadas, horas en {zone}",
    reason: "Motivo, enviado a los estudiantes (opcional)",
    confirm: { one: "Cancelar la sesión y guardar", other: "Cancelar {count} sesiones y guardar" },
    keep: "Mantener mis sesiones",
    cancelledSaved: { one: "La sesión se canceló y se avisó a sus estudiantes.", other: "Se cancelaron {count} sesiones y se avisó a sus estudiantes." },
  },
} satisfies CatalogOf<"teaching">;
