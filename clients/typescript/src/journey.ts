// The journey of issue 15 written against the generated types (src/schema.d.ts, from docs/openapi.json):
// a token, post and publish a challenge, read its matches with reasons, propose a pairing, the expert accepts
// and both sign, read the agreement, search. `npm run check` regenerates the types and type-checks this file:
// a path, parameter, body field or enum value the API does not have fails the check (the @ts-expect-error
// lines below prove the types are real: each must be an error, or tsc reports the directive unused).
import createClient from "openapi-fetch";

import type { components, paths } from "./schema";

type Schemas = components["schemas"];
export type Challenge = Schemas["Challenge"];
export type Pairing = Schemas["Pairing"];

/** The answer's data, or an exception carrying the API's error shape {detail, code, errors}. */
function answered<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    const error = result.error as Schemas["Error"] | undefined;
    throw new Error(`${result.response.status} ${error?.code ?? ""}: ${error?.detail ?? ""}`);
  }
  return result.data;
}

export async function signIn(baseUrl: string, username: string, password: string) {
  const anonymous = createClient<paths>({ baseUrl });
  const { token } = answered(await anonymous.POST("/api/v1/auth/token/", { body: { username, password } }));
  return createClient<paths>({ baseUrl, headers: { Authorization: `Token ${token}` } });
}

export async function journey(baseUrl: string, password: string) {
  const staff = await signIn(baseUrl, "enterprise", password);
  const expert = await signIn(baseUrl, "expert", password);

  const skills = answered(await staff.GET("/api/v1/skills/", { params: { query: { code: "distillation" } } }));
  const skill = skills.results[0];
  if (skill === undefined) throw new Error("no skill distillation");

  const draft: Challenge = answered(
    await staff.POST("/api/v1/challenges/", {
      body: {
        title: "精馏塔蒸汽单耗偏高",
        description: "每生产一吨产品消耗近两吨蒸汽，希望降低能耗。",
        category: "green",
        skills: [skill.id],
        preferred_province: "sichuan",
      },
    }),
  );
  const open = answered(
    await staff.POST("/api/v1/challenges/{id}/publish/", { params: { path: { id: draft.id } } }),
  );
  const status: Schemas["ChallengeStatusEnum"] = open.status;

  const matches = answered(
    await staff.GET("/api/v1/challenges/{challenge_id}/matches/", {
      params: { path: { challenge_id: draft.id }, query: { type: "expert", lang: "en" } },
    }),
  );
  const first = matches.results[0];
  if (first?.expert == null) throw new Error("no ranked expert");
  const reasons: string[] = first.reasons.map((reason) => `${reason.signal}: ${reason.explanation}`);

  const proposed: Pairing = answered(
    await staff.POST("/api/v1/pairings/", {
      body: { challenge: draft.id, expert: first.expert.id, message: "请来看看我们的精馏塔。" },
    }),
  );
  const id = proposed.id;
  answered(await expert.POST("/api/v1/pairings/{id}/accept/", { params: { path: { id } }, body: { note: "乐意。" } }));
  answered(await expert.POST("/api/v1/pairings/{id}/sign/", { params: { path: { id } } }));
  answered(await staff.POST("/api/v1/pairings/{id}/sign/", { params: { path: { id } } }));
  const agreement = answered(await expert.GET("/api/v1/pairings/{id}/", { params: { path: { id } } }));
  const active: Schemas["PairingStatusEnum"] = agreement.status;

  const found = answered(
    await staff.GET("/api/v1/search/", { params: { query: { q: "精馏节能", type: "expert", province: ["sichuan"] } } }),
  );
  return { status, reasons, active, hits: found.results.map((hit) => hit.id) };
}

// --- what the types refuse -------------------------------------------------------------------------------------
export async function refused(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });
  // @ts-expect-error: no such path
  await client.GET("/api/v1/challenge/");
  await client.POST("/api/v1/challenges/", {
    // @ts-expect-error: "energy" is no CategoryEnum value
    body: { title: "t", description: "d", category: "energy" },
  });
  await client.POST("/api/v1/challenges/", {
    // @ts-expect-error: the required title is missing
    body: { description: "d", category: "green" },
  });
  // @ts-expect-error: a pairing's id is a number
  await client.POST("/api/v1/pairings/{id}/sign/", { params: { path: { id: "one" } } });
  const { data } = await client.GET("/api/v1/challenges/{id}/", { params: { path: { id: 1 } } });
  // @ts-expect-error: a challenge has no field `owner`
  return data?.owner;
}
