import type { CatalogOf } from "../../types";

export default {
  home: {
    welcome: "Hola, {name}",
    scheduleIn: "Tu horario se guarda en {zone}.",
    waiting: "Tu perfil está pendiente de aprobación. Los estudiantes podrán encontrarte y reservar contigo cuando un administrador lo apruebe.",
    approved: "Estás aprobado y apareces en la búsqueda.",
    profile: "Tu perfil",
    about: "Sobre ti",
    subjects: "Materias",
    subjectsHint: "Separadas por comas, p. ej. matemáticas, física",
    rate: "Tarifa por hora (USD)",
    zone: "Tu zona horaria",
    saving: "Guardando…",
    save: "Guardar perfil",
    saved: "Guardado.",
    pays: "Los estudiantes pagan {rate}; al valor estándar del crédito ganas {earns} de cada hora tras la comisión del {commission} de la plataforma.",
    allowed: "Permitido: {min}–{max}. Una nueva tarifa solo se aplica a las reservas nuevas.",
    noneBooked: "Todavía no tienes sesiones reservadas.",
    publicPage: "Ver mi página pública",
  },
} satisfies CatalogOf<"teaching">;
