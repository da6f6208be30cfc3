import type { CatalogOf } from "../../types";

export default {
  refund: {
    done: "أُعيد {minutes} إلى {name}.",
    takenBack: "عاد {minutes} إلى محفظة {name}، لكن {taken} منها سُحب فورًا: فقد استُرد ثمن الشراء الذي جاء منه عبر Stripe أو خُسر اعتراض عليه. زاد رصيد {name} بمقدار {kept}.",
    onHold: "{minutes} منها معلّق ما دام الاعتراض على دفعه مفتوحًا.",
    already: "استُرد من قبل: عاد {minutes} إلى {name} في {date}. لم يُعد شيء آخر.",
    moved: "لم يُسترد شيء: دفع رصيد {name} ثمن جلسة بديلة مع {tutor} في {date}.",
    movedSomewhere: "لم يُسترد شيء: دفع رصيد {name} ثمن جلسة بديلة مع معلّم آخر.",
    nothing: "لم يُسترد شيء: لم يُصرف أي رصيد على هذا المقعد.",
    anotherTutor: "معلّم آخر",
    openReplacement: "افتح الجلسة البديلة",
    stateTitle: "لم يُسترد شيء",
  },
} satisfies CatalogOf<"admin">;
