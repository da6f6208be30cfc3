import type { CatalogOf } from "../../types";

export default {
  fields: {
    email: "Correo electrónico",
    password: "Contraseña",
    name: "Nombre",
    timezone: "Zona horaria",
  },
  login: {
    title: "Iniciar sesión",
    intro: "Te damos la bienvenida de nuevo a Tutorly.",
    submit: "Iniciar sesión",
    submitting: "Iniciando sesión…",
    newHere: "¿Eres nuevo?",
    createAccount: "Crear una cuenta",
    forgot: "¿Olvidaste tu contraseña?",
  },
  signup: {
    title: "Crea tu cuenta",
    intro: "Aprende con un tutor o enseña en Tutorly.",
    submit: "Crear cuenta",
    submitting: "Creando la cuenta…",
    haveAccount: "¿Ya tienes una cuenta?",
    logIn: "Iniciar sesión",
    iWantTo: "Quiero",
    learn: "Aprender",
    learnHint: "Reservar sesiones con tutores",
    teach: "Enseñar",
    teachHint: "Publicar mis horas y cobrar",
    passwordHint: "Al menos 8 caracteres.",
    timezoneHint: "Detectada en tu navegador; los horarios se muestran en esta zona.",
  },
} satisfies CatalogOf<"auth">;
