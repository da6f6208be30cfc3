import { z } from "zod";

/**
 * What a refused value is told, in words for people, when a schema gives no message of its own. zod's defaults
 * ("Invalid input: expected number, received NaN", "Too small: expected string to have >=1 characters") reach
 * forms and API answers otherwise. Units a person does not see (cents, minutes) need the schema's own message;
 * these are the general ones.
 */
export const humanError: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null || issue.input === "") return "This is required.";
      if (issue.expected === "number" || issue.expected === "int") return "Enter a number.";
      if (issue.expected === "boolean") return "Choose yes or no.";
      if (issue.expected === "array") return "Choose at least one.";
      return "This value isn't accepted here.";
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "This is required." : `Use at least ${issue.minimum} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return Number(issue.minimum) <= 1 ? "Choose at least one." : `Choose at least ${issue.minimum}.`;
      if (issue.origin === "number" || issue.origin === "int") return issue.inclusive === false ? `Enter a number above ${issue.minimum}.` : `Enter ${issue.minimum} or more.`;
      return "This is too small.";
    case "too_big":
      if (issue.origin === "string") return `Use at most ${issue.maximum} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at most ${issue.maximum}.`;
      if (issue.origin === "number" || issue.origin === "int") return issue.inclusive === false ? `Enter a number below ${issue.maximum}.` : `Enter ${issue.maximum} or less.`;
      return "This is too large.";
    case "invalid_format":
      if (issue.format === "email") return "Enter an email address like name@example.com.";
      if (issue.format === "url") return "Enter a web address starting with https://.";
      if (issue.format === "datetime" || issue.format === "date" || issue.format === "time") return "Enter a valid date and time.";
      return "Check the format of this value.";
    case "not_multiple_of":
      return `Enter a multiple of ${issue.divisor}.`;
    case "invalid_value":
      return "Choose one of the options.";
    case "unrecognized_keys":
      return `Unexpected field${issue.keys.length === 1 ? "" : "s"}: ${issue.keys.join(", ")}.`;
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
      return "This value isn't accepted here.";
    default:
      return undefined;
  }
};

z.config({ customError: humanError });
