import type { CatalogOf } from "../../types";

export default {
  profile: {
    offersTrials: "Ofrecer clases de prueba",
    offersTrialsHint: "Los estudiantes nuevos pueden reservar contigo una primera clase de {duration} al {percent}% de tu precio ({credits} con tu tarifa actual).",
    photo: "Foto",
    photoHint: "Una foto clara de tu cara ayuda a los estudiantes a elegir. JPEG, PNG o WebP; la reducimos a 512 píxeles.",
    choosePhoto: "Elegir una foto…",
    replacePhoto: "Cambiar la foto…",
    removePhoto: "Quitar la foto",
    uploading: "Subiendo…",
    photoSaved: "Foto guardada. Se ve en tu página y en la búsqueda.",
    photoRemoved: "Foto quitada. En su lugar se ve tu inicial.",
    notAnImage: "Ese archivo no es una foto que podamos leer. Elige una imagen JPEG, PNG o WebP.",
    yourPhoto: "Tu foto",
    introVideo: "Enlace a un video de presentación (opcional)",
    introVideoHint: "Un enlace https a un video corto tuyo en YouTube o Vimeo. Los estudiantes lo ven como un enlace.",
  },
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
