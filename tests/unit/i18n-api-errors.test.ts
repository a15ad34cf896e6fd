import { expect, it } from "vitest";
import { apiErrorText } from "@/lib/i18n/api-errors";

/** Issue 22: a refused request is explained in the page's language; field paths become the form's labels. */

const answer = { error: "Invalid input", issues: [{ path: "email", message: "must be an e-mail address" }, { path: "scopes[0]", message: "must be read or ingest" }] };
const labels = { email: "Електронна пошта", scopes: "Права" };

it("Ukrainian: a Ukrainian headline and the form's field labels, no English sentence; the server's words kept as detail", () => {
  const got = apiErrorText("uk", 400, answer, labels);
  expect(got.text).toBe("Перевірте введені дані (поля: Електронна пошта, Права)");
  expect(got.text).not.toMatch(/[A-Za-z]/);
  expect(got.detail).toBe("Invalid input; email: must be an e-mail address; scopes[0]: must be read or ingest");
});

it("English: the headline, the fields and the server's explanation; unknown statuses fall back", () => {
  expect(apiErrorText("en", 403, { error: "Admins only" }).text).toBe("You are not allowed to do this — Admins only");
  expect(apiErrorText("uk", 500, {}).text).toBe("Не вдалося виконати дію");
  expect(apiErrorText("uk", 429, { error: "Too many sign-in attempts" }).text).toBe("Забагато спроб: зачекайте і спробуйте ще раз");
});
