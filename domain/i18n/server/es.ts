import type { Translation } from "../translate";
import type en from "./en";

/** Spanish: the server's words (notices, emails, calendar invitations). */
export default {
  email: {
    hi: "Hola, {name}:",
    there: "hola",
    hello: "Hola:",
    signoff: "— El equipo de Tutorly",
  },
  names: {
    yourStudent: "tu estudiante",
    yourTutor: "tu tutor",
    aStudent: "Un estudiante",
    support: "El soporte de Tutorly",
    someone: "Alguien",
  },
  notice: {
    paymentFailed: { title: "Tu pago no se ha completado", body: "No pudimos cobrar tu tarjeta por tu plan de Tutorly. Actualiza tu método de pago para conservar tus horas mensuales." },
    packPaymentFailed: {
      title: "No se pudo cobrar tu paquete de horas",
      body: "El pago bancario de tu paquete ({credits}) no se ha completado, así que no se ha añadido ningún crédito a tu saldo. Para intentarlo de nuevo, vuelve a comprar el paquete en Facturación: con tarjeta, el crédito se añade al momento.",
    },
    offersLive: { title: "Hay tutores de sustitución disponibles", body: { one: "{count} tutor está libre a esa hora.", other: "{count} tutores están libres a esa hora." } },
    because: " Motivo indicado: «{reason}».",
    booked: { title: "Nueva sesión de {subject} con {name}", body: "{name} reservó {subject} contigo para el {at}." },
    cancelled: {
      title: "{by} canceló {subject}, {at}",
      body: "{by} canceló tu sesión de {subject} del {at}.{because}",
      refunded: " Los créditos han vuelto a tu saldo.",
    },
    leftGroup: {
      title: "{student} dejó tu grupo de {subject}, {at}",
      body: "{student} dejó su plaza en tu sesión de grupo de {subject} del {at}.{because}",
      seats: { one: " Ahora hay {taken} de {count} plaza ocupada.", other: " Ahora hay {taken} de {count} plazas ocupadas." },
    },
    tutorNoShow: {
      title: "{tutor} no se presentó a {subject}, {at}",
      body: "{tutor} no llegó a tu sesión de {subject} del {at}, así que se canceló y los créditos han vuelto a tu saldo.",
    },
    rescheduled: { title: "{subject} se movió al {at}", body: "{by} movió tu sesión de {subject} del {from} al {at}." },
    reminder: {
      title24h: "Próximamente: {subject} con {name}, {at}",
      title1h: "Dentro de una hora: {subject} con {name}",
      body: "Tu sesión de {subject} con {name} empieza el {at}. Entra desde Mis sesiones unos minutos antes.",
      students: { one: "{count} estudiante", other: "{count} estudiantes" },
    },
    tutorCancelled: {
      title: "{tutor} canceló tu sesión de {subject}, {at}",
      body: "{tutor} canceló tu sesión de {subject} del {at}.{because}",
      offers: {
        one: " Encontramos {count} tutor más de {subject} libre a esa misma hora: elígelo sin coste adicional o recupera tus créditos.",
        other: " Encontramos {count} tutores más de {subject} libres a esa misma hora: elige uno sin coste adicional o recupera tus créditos.",
      },
      offersTrial: {
        one: " Encontramos {count} tutor más de {subject} libre a esa misma hora: elígelo, sigue siendo tu clase de prueba gratuita, o recupera tu clase de prueba.",
        other: " Encontramos {count} tutores más de {subject} libres a esa misma hora: elige uno, sigue siendo tu clase de prueba gratuita, o recupera tu clase de prueba.",
      },
      refunded: " No hay otro tutor de {subject} libre a esa hora, así que tus {credits} han vuelto a tu saldo.",
      freeTrialBack: " No hay otro tutor de {subject} libre a esa hora, así que tu clase de prueba gratuita ha vuelto: puedes reservar otra este mes.",
    },
    refunded: {
      title: "Créditos devueltos: {subject}, {at}",
      declined: "Elegiste recuperar tus créditos en lugar de un tutor sustituto: {credits} de la sesión de {subject} del {at} vuelven a estar en tu saldo.",
      expired: "Nadie aceptó a tiempo las ofertas de sustitución para la sesión de {subject} del {at}, así que tus {credits} han vuelto a tu saldo.",
      priceChanged: "El tutor que elegiste para la sesión de {subject} del {at} subió su precio después de la oferta y no quedaba nadie más en ella, así que tus {credits} han vuelto a tu saldo.",
      tutorUnavailable: "El tutor que elegiste para la sesión de {subject} del {at} ya no estaba libre a esa hora y no quedaba nadie más en la oferta, así que tus {credits} han vuelto a tu saldo.",
      freeTrial: {
        title: "Clase de prueba devuelta: {subject}, {at}",
        declined: "Elegiste recuperar tu clase de prueba gratuita en lugar de un tutor sustituto para la sesión de {subject} del {at}: puedes reservar otra este mes.",
        expired: "Nadie aceptó a tiempo las ofertas de sustitución para la sesión de {subject} del {at}, así que tu clase de prueba gratuita ha vuelto: puedes reservar otra este mes.",
        priceChanged: "El tutor que elegiste para la sesión de {subject} del {at} subió su precio después de la oferta y no quedaba nadie más en ella, así que tu clase de prueba gratuita ha vuelto: puedes reservar otra este mes.",
        tutorUnavailable: "El tutor que elegiste para la sesión de {subject} del {at} ya no estaba libre a esa hora y no quedaba nadie más en la oferta, así que tu clase de prueba gratuita ha vuelto: puedes reservar otra este mes.",
      },
    },
    rebooked: { title: "Nueva reserva con {tutor}", body: "Tu sesión de {subject} del {at} es ahora con {tutor}, sin coste adicional." },
    bookingConfirmed: {
      title: "Reserva hecha: {subject} con {tutor}, {at}",
      session: "Tu sesión de {subject} con {tutor} está confirmada para el {at}.",
      group: "Tu plaza en la sesión de grupo de {subject} con {tutor} está confirmada para el {at}.",
      cost: " Costó {credits}.",
      paidByCancelled: " Se pagó con los créditos de tu sesión cancelada.",
      freeTrial: " Es tu clase de prueba gratuita del mes: no se ha descontado nada de tu saldo.",
      join: " Entra desde Mis sesiones unos minutos antes; la invitación adjunta la añade a tu calendario.",
      weekly: {
        one: "Tus clases semanales de {subject} con {tutor} están reservadas: {count} semana, a partir del {at}.",
        other: "Tus clases semanales de {subject} con {tutor} están reservadas: {count} semanas, a partir del {at}.",
      },
      weeklyCost: " La primera clase costó {credits}; los créditos de cada semana siguiente se descuentan {days} días antes.",
      joinWeekly: " Entra a cada una desde Mis sesiones unos minutos antes; la invitación adjunta las añade todas a tu calendario.",
    },
    youCancelled: {
      title: "Cancelaste {subject} con {tutor}, {at}",
      body: "Cancelaste tu sesión de {subject} con {tutor} del {at}.",
      refunded: " Tus {credits} han vuelto a tu saldo.",
      notRefunded: " Faltaban menos de {hours} horas, así que los créditos no se devolvieron.",
      freeTrialBack: " Tu clase de prueba gratuita ha vuelto: puedes reservar otra este mes.",
      freeTrialUsed: " Faltaban menos de {hours} horas, así que cuenta como tu clase de prueba gratuita de este mes.",
    },
    waitlistSeat: {
      title: "Hay una plaza libre para ti: {subject}, {at}",
      body: "Se liberó una plaza en la sesión de grupo de {subject} de {tutor} del {at}, y eres el primero en la lista. Te la guardamos hasta el {until}: tómala antes o pasa a la siguiente persona de la lista. Cuesta {credits}, que se descuentan solo cuando tomas la plaza.",
    },
    youRescheduled: {
      title: "{subject} con {tutor} se movió al {at}",
      body: "Moviste tu sesión de {subject} con {tutor} del {from} al {at}. La invitación adjunta actualiza tu calendario.",
    },
    calendarConflict: {
      title: "Conflicto en el calendario: {subject}, {at}",
      body: "«{title}» de {source} se solapa con tu sesión de {subject} del {at}. Se mantienen ambas: mueve o cancela una de ellas.",
    },
    cause: {
      planPaused: " Su plan está en pausa, así que esta clase semanal no se da.",
      unpaid: " Su clase semanal no se pagó a tiempo.",
      studentBusy: " Tiene otra sesión a esa hora.",
      tutorNoShow: " El tutor no se conectó.",
      accountClosed: " La cuenta de la otra persona se cerró.",
    },
    weekReleased: {
      title: "{subject}, {at}: liberada",
      body: "La clase semanal de {subject} de {student} del {at} se liberó, y ese horario vuelve a estar libre en tu calendario.{because}",
    },
    seriesPaused: {
      title: "No habrá clase mientras tu plan está en pausa: {subject}, {at}",
      body: "Pausaste tu plan, así que tu clase semanal de {subject} del {at} no se da.",
      notCharged: " No se te cobró nada por ella.",
    },
    endedEarly: {
      title: "{subject} terminó antes de tiempo, {at}",
      body: "Tu sesión de {subject} del {at} terminó tras {taught}. {credits} por el tiempo no impartido han vuelto a tu saldo.",
      atOnce: "Tu sesión de {subject} del {at} terminó en su primer minuto, así que no se impartió nada: todo lo que costó ({credits}) ha vuelto a tu saldo.",
    },
    seriesBooked: {
      title: "Clases semanales de {subject} con {name}",
      body: {
        one: "{name} reservó {subject} contigo cada semana durante {count} semana, a partir del {at}. Cada clase está en tu agenda.",
        other: "{name} reservó {subject} contigo cada semana durante {count} semanas, a partir del {at}. Cada clase está en tu agenda.",
      },
    },
    seriesMoved: {
      title: "Tus clases semanales de {subject} pasan al {at}",
      body: {
        one: "{by} movió tus clases semanales de {subject} a partir del {from}: {count} semana ya está en el nuevo horario, desde el {at}.",
        other: "{by} movió tus clases semanales de {subject} a partir del {from}: {count} semanas ya están en el nuevo horario, desde el {at}.",
      },
      byYou: {
        one: "Moviste tus clases semanales de {subject} a partir del {from}: {count} semana ya está en el nuevo horario, desde el {at}.",
        other: "Moviste tus clases semanales de {subject} a partir del {from}: {count} semanas ya están en el nuevo horario, desde el {at}.",
      },
      kept: {
        one: " {count} semana no se pudo mover y sigue en el horario anterior (mira la serie).",
        other: " {count} semanas no se pudieron mover y siguen en el horario anterior (mira la serie).",
      },
    },
    seriesPaymentDue: {
      title: "Recarga saldo para {subject}, {at}",
      body: "Tu clase semanal de {subject} del {at} cuesta {credits}, más de lo que tienes en tu saldo. Añade créditos antes del {until} o la clase se liberará.",
    },
    seriesReleased: {
      title: "{subject}, {at}: liberada",
      unpaid: "Tu clase semanal de {subject} del {at} se liberó porque seguía sin pagar {hours} horas antes. No se cobró nada; el resto de la serie continúa.",
      studentBusy: "Tu clase semanal de {subject} del {at} se liberó porque tienes otra sesión a esa hora. No se cobró nada; el resto de la serie continúa.",
    },
    seriesWeekSkipped: {
      title: "{subject}, {at}: sin reservar",
      body: "La semana del {at} de tus clases semanales de {subject} no se pudo reservar: esa hora está ocupada en el calendario del tutor.",
      free: " Libre ese día: {times} ({zone}).",
      noneFree: " No hay otra hora libre ese día.",
    },
    seriesWeekConflict: {
      title: "{subject}, {at}: tu tutor tiene un conflicto",
      body: "Ha surgido otra cosa en el calendario de tu tutor a la hora de tu clase semanal de {subject} del {at}. De momento sigue reservada: puedes moverla o cancelarla.",
      free: " Libre ese día: {times} ({zone}).",
    },
    summary: {
      title: "Resumen de tu sesión de {subject} con {tutor}",
      body: "{tutor} escribió un resumen de tu sesión de {subject} del {at}.",
      homework: "Deberes:",
      where: "Las notas y las páginas de la pizarra están en Mis sesiones.",
    },
  },
  invite: {
    title: "{subject} con {tutor}",
    groupTitle: "Grupo de {subject} con {tutor}",
    details: "Tu sesión de Tutorly con {tutor}. Entra desde {url} unos minutos antes de que empiece.",
    cancelled: "Cancelada: {summary}",
    addToCalendar: "Añádela a tu calendario:",
    orOpen: "(o abre el archivo invite.ics adjunto)",
  },
  feed: {
    name: "Tutorly — {name}",
    tutorDescription: "Tus sesiones de Tutorly como tutor",
    description: "Tus sesiones de Tutorly",
    groupTitle: "Grupo de {subject} ({present}/{seats})",
    withStudent: "{subject} con {name}",
    aStudent: "un estudiante",
    students: "Estudiantes: {names}",
    noneYet: "todavía ninguno",
    tutor: "Tutor: {name}",
    wasCancelled: "Esta sesión se canceló.",
    join: "Entrar: {link}",
  },
  digest: {
    subject: { one: "Nuevo mensaje de {from}", other: "{count} mensajes nuevos de {from}" },
    wrote: "{from} te escribió en Tutorly:",
    earlier: { one: "(y {count} anterior)", other: "(y {count} anteriores)" },
    reply: "Responder: {link}",
    why: "Recibes este correo cuando un mensaje sigue sin leer durante 15 minutos, como mucho una vez por hora y conversación. Puedes desactivarlo en tus ajustes de notificaciones: {link}",
  },
  account: {
    until: "El enlace funciona hasta el {when}.",
    verify: {
      subject: "Confirma tu dirección de correo",
      intro: "¡Te damos la bienvenida a Tutorly! Confirma que esta es tu dirección de correo:",
      after: "El enlace funciona hasta el {when}. Hasta que la confirmes, puedes explorar y comprar créditos, pero no reservar sesiones.",
    },
    emailChange: {
      subject: "Confirma tu nueva dirección de correo",
      intro: "Pediste usar {email} para tu cuenta de Tutorly. Confírmalo aquí:",
      after: "El enlace funciona hasta el {when}. Hasta entonces se sigue usando tu dirección anterior.",
    },
    emailChangeNotice: {
      subject: "Tu dirección de correo de Tutorly va a cambiar",
      body: "El {when}, alguien con la sesión iniciada en tu cuenta pidió pasarla a {email}.",
      warn: "Si no fuiste tú, cambia tu contraseña ahora: nada cambia hasta que se confirme la nueva dirección.",
    },
    emailChanged: {
      subject: "Tu dirección de correo de Tutorly ha cambiado",
      body: "El {when} tu cuenta pasó a {email}. Los correos se envían ahora allí.",
      warn: "Si no fuiste tú, escríbenos respondiendo a este correo.",
    },
    alreadyRegistered: {
      subject: "Ya tienes una cuenta de Tutorly",
      body: "Alguien (probablemente tú) acaba de intentar registrarse con esta dirección de correo, pero ya tienes una cuenta.",
      signIn: "Inicia sesión: {link}",
      forgot: "¿Olvidaste tu contraseña? {link}",
      ignore: "Si no fuiste tú, puedes ignorar este correo: nada ha cambiado en tu cuenta.",
    },
    passwordReset: {
      subject: "Restablece tu contraseña de Tutorly",
      intro: "Alguien pidió restablecer la contraseña de tu cuenta de Tutorly. Elige una nueva aquí:",
      after: "El enlace funciona una sola vez, hasta el {when}. Si no lo pediste, ignora este correo: tu contraseña no cambia.",
      choose: "Alguien pidió restablecer una contraseña de Tutorly para esta dirección. Nadie la ha confirmado todavía, y con ella se crearon estas cuentas, de la más antigua a la más reciente. Abre el enlace de la cuenta que es tuya: fija la contraseña de esa cuenta y confirma la dirección para ella.",
      account: "{n}. «{name}», {role}, creada el {when}:",
      roles: { student: "estudiante", tutor: "tutor", admin: "administrador" },
      notYours: "Cualquiera puede registrarse con cualquier dirección, y los nombres son los que se escribieron: una cuenta que no reconoces es de otra persona, así que no uses su enlace. Cuando confirmes la tuya, ninguna otra cuenta podrá quedarse con esta dirección.",
      chooseAfter: "Cada enlace funciona una sola vez, hasta el {when}. Si no lo pediste, ignora este correo: nada cambia.",
    },
    passwordChanged: {
      subject: "Tu contraseña de Tutorly ha cambiado",
      body: "Tu contraseña se cambió el {when} y se cerró la sesión en tus otros dispositivos.",
      warn: "Si no fuiste tú, restablécela ahora: {link}",
    },
    adminInvite: {
      subject: "Te invitan a administrar Tutorly",
      intro: "{by} te invitó a ser administrador de Tutorly. Crea tu cuenta de administrador aquí:",
      after: "El enlace funciona una sola vez, hasta el {when}.",
    },
    suspended: {
      subject: "Tu cuenta de Tutorly está suspendida",
      body: "Tu cuenta se suspendió el {when}: {reason}",
      after: "Se ha cerrado tu sesión en todas partes. Responde a este correo si crees que es un error.",
    },
    restored: { subject: "Tu cuenta de Tutorly vuelve a estar activa", body: "Tu cuenta se restableció el {when}. Ya puedes volver a iniciar sesión." },
    deleted: {
      subject: "Tu cuenta de Tutorly se ha eliminado",
      body: "Tu cuenta se eliminó el {when}.",
      cancelled: { one: " Antes se canceló {count} sesión próxima.", other: " Antes se cancelaron {count} sesiones próximas." },
      kept: "Tus datos personales se han borrado; los registros que exige la ley (pagos, créditos, ganancias) se conservan sin tu nombre.",
    },
  },
} satisfies Translation<typeof en>;
