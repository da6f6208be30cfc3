/**
 * A small wire-level fake of the Stripe API endpoints Tutorly calls, for tests: the real `stripe` SDK talks to
 * it over HTTP (form-encoded requests, JSON answers, `Idempotency-Key` honoured like Stripe does). Control
 * routes under `/__` let tests read what was sent, seed objects and inject failures.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";

type Obj = Record<string, unknown>;
export type RecordedRequest = { method: string; path: string; params: Record<string, string>; idempotencyKey: string | null };

export function startStripeFake(): Promise<{ url: string; close(): Promise<void> }> {
  let seq = 0;
  const id = (prefix: string) => `${prefix}_fake_${++seq}`;
  const requests: RecordedRequest[] = [];
  const idempotent = new Map<string, { status: number; body: Obj }>();
  const subscriptions = new Map<string, Obj>();
  const schedules = new Map<string, Obj>();
  /** Checkout Sessions made through the API (`status` open, complete or expired); tests complete one with `/__checkout_sessions/:id/complete`. */
  const checkoutSessions = new Map<string, Obj>();
  const transfers: Obj[] = [];
  /** Balance transactions, newest last; seeded by tests (charges, refunds, disputes) and made by transfers. */
  const balanceTransactions: Obj[] = [];
  /** Which invoice each payment intent paid (seeded by tests; basil invoices no longer say it themselves). */
  const invoicePayments: { payment_intent: string; invoice: string; amount?: number }[] = [];
  /** Charges by id (seeded by tests): who paid, with which payment intent. */
  const charges = new Map<string, Obj>();
  /** A customer's invoices and payment intents (seeded by tests), for the billing history. */
  const invoices: Obj[] = [];
  const paymentIntents: Obj[] = [];
  let failNextTransfers = 0;
  let previewAmount = 4242;

  const now = () => Math.floor(Date.now() / 1000);

  function route(method: string, path: string, p: Record<string, string>): { status: number; body: Obj } {
    const m = (re: RegExp) => re.exec(path);
    if (method === "POST" && path === "/v1/customers") return ok({ id: id("cus"), object: "customer", email: p.email ?? null, metadata: meta(p) });
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const sid = id("cs");
      const session = { id: sid, object: "checkout.session", status: "open", url: `https://checkout.stripe.test/c/pay/${sid}`, mode: p.mode, customer: p.customer, metadata: meta(p) };
      checkoutSessions.set(sid, session);
      return ok(session);
    }
    let r;
    if ((r = m(/^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/))) {
      const session = checkoutSessions.get(r[1]!);
      if (!session) return err(404, "resource_missing", `No such checkout.session: '${r[1]}'`);
      if (method === "POST" && r[2]) {
        // Only an open session can be expired; an expired one has no URL any more.
        if (session.status !== "open") return err(400, null, `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
        Object.assign(session, { status: "expired", url: null });
      }
      return ok(session);
    }
    if ((r = m(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const sub = subscriptions.get(r[1]!);
      if (!sub) return err(404, "resource_missing", `No such subscription: '${r[1]}'`);
      if (method === "POST") {
        // Stripe refuses cancelation changes on a subscription a schedule manages (the schedule decides how it ends).
        if (sub.schedule && ("cancel_at_period_end" in p || "cancel_at" in p)) {
          return err(400, null, `The subscription is managed by the subscription schedule \`${sub.schedule}\`, and updating any cancelation behavior directly is not allowed. Please update the schedule instead.`);
        }
        const items = sub.items as { data: Obj[] };
        if (p["items[0][price]"]) items.data[0] = { ...items.data[0], price: { id: p["items[0][price]"] } };
        if (p.cancel_at_period_end) sub.cancel_at_period_end = p.cancel_at_period_end === "true";
        // Pausing: `pause_collection[behavior]` + `[resumes_at]` set it, an empty `pause_collection` clears it.
        if (p["pause_collection[behavior]"]) {
          sub.pause_collection = { behavior: p["pause_collection[behavior]"], resumes_at: p["pause_collection[resumes_at]"] ? Number(p["pause_collection[resumes_at]"]) : null };
        } else if (p.pause_collection === "") sub.pause_collection = null;
        // A trial end on a running subscription moves the next renewal to that instant (Stripe's way to defer billing).
        if (p.trial_end) {
          const end = p.trial_end === "now" ? now() : Number(p.trial_end);
          if (end < now() - 60) return err(400, "invalid_trial_end", "trial_end must be in the future.");
          sub.trial_end = end;
          sub.status = end > now() ? "trialing" : "active";
          items.data[0] = { ...items.data[0], current_period_end: end };
        }
        Object.assign(sub.metadata as Obj, meta(p));
      }
      return ok(sub);
    }
    if (method === "POST" && path === "/v1/subscription_schedules") {
      const sub = subscriptions.get(p.from_subscription ?? "");
      if (!sub) return err(404, "resource_missing", "No such subscription");
      if (sub.schedule) return err(400, null, `You cannot migrate a subscription that is already attached to a schedule: \`${sub.schedule}\`.`);
      const item = (sub.items as { data: Obj[] }).data[0]!;
      const schedId = id("sub_sched");
      const sched: Obj = {
        id: schedId,
        object: "subscription_schedule",
        status: "active",
        end_behavior: "release",
        subscription: sub.id,
        released_subscription: null,
        phases: [{ start_date: item.current_period_start, end_date: item.current_period_end, items: [{ price: (item.price as Obj).id, quantity: 1 }] }],
      };
      schedules.set(schedId, sched);
      sub.schedule = schedId;
      return ok(sched);
    }
    if ((r = m(/^\/v1\/subscription_schedules\/([^/]+)(\/release)?$/))) {
      const sched = schedules.get(r[1]!);
      if (!sched) return err(404, "resource_missing", "No such subscription schedule");
      const live = sched.status === "active" || sched.status === "not_started";
      if (r[2]) {
        // Releasing leaves the subscription in place, no longer managed: `subscription` moves to `released_subscription`.
        if (!live) return err(400, null, `You cannot release a subscription schedule that is currently in the \`${sched.status}\` status.`);
        const sub = subscriptions.get(sched.subscription as string);
        if (sub) sub.schedule = null;
        Object.assign(sched, { status: "released", released_subscription: sched.subscription, subscription: null });
      } else if (method === "POST") {
        if (!live) return err(400, null, `You cannot update a subscription schedule that is currently in the \`${sched.status}\` status.`);
        sched.phases_sent = Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith("phases")));
        if (p.end_behavior) sched.end_behavior = p.end_behavior;
      }
      return ok(sched);
    }
    if (method === "POST" && path === "/v1/invoices/create_preview") return ok({ object: "invoice", amount_due: previewAmount, customer: p.customer, subscription: p.subscription });
    if (method === "POST" && path === "/v1/billing_portal/sessions") return ok({ id: id("bps"), object: "billing_portal.session", url: `https://billing.stripe.test/p/session/${seq}`, return_url: p.return_url });
    if (method === "POST" && path === "/v1/accounts") return ok({ id: id("acct"), object: "account", charges_enabled: false, payouts_enabled: false, details_submitted: false, controller: meta(p, "controller") });
    if (method === "POST" && path === "/v1/account_links") return ok({ object: "account_link", url: `https://connect.stripe.test/setup/e/${p.account}`, expires_at: now() + 300 });
    if (method === "GET" && path === "/v1/invoice_payments") {
      const data = invoicePayments
        .filter((x) => (!p["payment[payment_intent]"] || x.payment_intent === p["payment[payment_intent]"]) && (!p.invoice || x.invoice === p.invoice))
        .map((x, i) => ({ id: `inpay_fake_${i}`, object: "invoice_payment", invoice: x.invoice, amount_paid: x.amount ?? null, payment: { type: "payment_intent", payment_intent: x.payment_intent }, status: "paid" }));
      return ok({ object: "list", data, has_more: false, url: "/v1/invoice_payments" });
    }
    if (method === "GET" && (r = m(/^\/v1\/charges\/([^/]+)$/))) {
      const charge = charges.get(r[1]!);
      return charge ? ok(charge) : err(404, "resource_missing", `No such charge: '${r[1]}'`);
    }
    if (method === "GET" && path === "/v1/transfers") {
      const data = transfers.filter((t) => !p.transfer_group || t.transfer_group === p.transfer_group);
      return ok({ object: "list", data, has_more: false, url: "/v1/transfers" });
    }
    if (method === "POST" && path === "/v1/transfers") {
      if (failNextTransfers > 0) {
        failNextTransfers--;
        return err(400, "balance_insufficient", "You have insufficient available funds in your Stripe account.");
      }
      const transfer = { id: id("tr"), object: "transfer", amount: Number(p.amount), currency: p.currency, destination: p.destination, transfer_group: p.transfer_group ?? null, metadata: meta(p) };
      transfers.push(transfer);
      balanceTransactions.push(balanceTransaction({ type: "transfer", amount: -transfer.amount, fee: 0, source: transfer }));
      return ok(transfer);
    }
    if (method === "GET" && (path === "/v1/invoices" || path === "/v1/payment_intents")) {
      const all = path === "/v1/invoices" ? invoices : paymentIntents;
      const expandCharge = Object.entries(p).some(([k, v]) => k.startsWith("expand") && v === "data.latest_charge");
      const data = all
        .filter((x) => !p.customer || x.customer === p.customer)
        .sort((a, b) => (b.created as number) - (a.created as number))
        .slice(0, Number(p.limit ?? 10))
        .map((x) => (x.latest_charge && !expandCharge ? { ...x, latest_charge: (x.latest_charge as Obj).id } : x));
      return ok({ object: "list", data, has_more: false, url: path });
    }
    if (method === "GET" && path === "/v1/balance_transactions") return ok(page(balanceTransactions, p, "/v1/balance_transactions"));
    return err(404, "resource_missing", `Unrecognized request URL (${method}: ${path})`);
  }

  /** A balance transaction as Stripe shows it; `source` is the whole object (listed as its id unless expanded). */
  function balanceTransaction(o: { type: string; amount: number; fee: number; source: Obj; created?: number }): Obj {
    return { id: id("txn"), object: "balance_transaction", amount: o.amount, fee: o.fee, net: o.amount - o.fee, currency: "usd", type: o.type, created: o.created ?? now(), status: "available", reporting_category: o.type, source: o.source };
  }

  /** One page of a list, newest first, filtered by `created[gte|lt]` and paged by `starting_after`, with `expand[]=data.source`. */
  function page(all: Obj[], p: Record<string, string>, url: string): Obj {
    const expand = Object.entries(p).some(([k, v]) => k.startsWith("expand") && v === "data.source");
    const gte = p["created[gte]"] ? Number(p["created[gte]"]) : -Infinity;
    const lt = p["created[lt]"] ? Number(p["created[lt]"]) : Infinity;
    const listed = all.filter((t) => (t.created as number) >= gte && (t.created as number) < lt).reverse();
    const start = p.starting_after ? listed.findIndex((t) => t.id === p.starting_after) + 1 : 0;
    const limit = Number(p.limit ?? 10);
    const data = listed.slice(start, start + limit).map((t) => (expand ? t : { ...t, source: (t.source as Obj).id }));
    return { object: "list", data, has_more: start + limit < listed.length, url };
  }

  const ok = (body: Obj) => ({ status: 200, body });
  /** Stripe's error shape; some of its refusals (schedule rules among them) carry no `code`. */
  const err = (status: number, code: string | null, message: string) => ({ status, body: { error: { type: "invalid_request_error", ...(code ? { code } : {}), message } } });
  const meta = (p: Record<string, string>, prefix = "metadata") =>
    Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith(`${prefix}[`)).map(([k, v]) => [k.slice(prefix.length + 1, -1), v]));

  async function control(req: IncomingMessage, res: ServerResponse, body: string) {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(json));
    };
    const path = req.url ?? "";
    if (path === "/__requests") return send(200, requests);
    if (path === "/__transfers") return send(200, transfers);
    if (path === "/__balance_transactions" && req.method === "POST") {
      const o = JSON.parse(body) as { type: string; amount: number; fee?: number; source: Obj; created?: number };
      const t = balanceTransaction({ ...o, fee: o.fee ?? 0 });
      balanceTransactions.push(t);
      return send(200, t);
    }
    if (path === "/__reset") {
      requests.length = 0;
      idempotent.clear();
      subscriptions.clear();
      schedules.clear();
      checkoutSessions.clear();
      transfers.length = 0;
      balanceTransactions.length = 0;
      invoicePayments.length = 0;
      charges.clear();
      invoices.length = 0;
      paymentIntents.length = 0;
      failNextTransfers = 0;
      previewAmount = 4242;
      return send(200, {});
    }
    const completing = /^\/__checkout_sessions\/([^/]+)\/complete$/.exec(path);
    if (completing && req.method === "POST") {
      const session = checkoutSessions.get(completing[1]!);
      if (session) Object.assign(session, { status: "complete", url: null });
      return send(session ? 200 : 404, session ?? {});
    }
    if (path === "/__subscriptions" && req.method === "POST") {
      const sub = JSON.parse(body) as Obj;
      subscriptions.set(sub.id as string, sub);
      return send(200, sub);
    }
    if (path === "/__invoice_payments" && req.method === "POST") {
      const pay = JSON.parse(body) as { payment_intent: string; invoice: string; amount?: number };
      invoicePayments.push(pay);
      return send(200, pay);
    }
    if ((path === "/__invoices" || path === "/__payment_intents") && req.method === "POST") {
      const o = { created: now(), ...(JSON.parse(body) as Obj) };
      (path === "/__invoices" ? invoices : paymentIntents).push(o);
      return send(200, o);
    }
    if (path === "/__charges" && req.method === "POST") {
      const c = JSON.parse(body) as { id: string; customer: string | null; payment_intent: string | null; amount?: number };
      charges.set(c.id, { object: "charge", amount: 0, ...c });
      return send(200, c);
    }
    if (path === "/__fail-transfers") {
      failNextTransfers = Number(JSON.parse(body).count ?? 1);
      return send(200, {});
    }
    if (path === "/__preview-amount") {
      previewAmount = Number(JSON.parse(body).amount);
      return send(200, {});
    }
    return send(404, {});
  }

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      if (url.pathname.startsWith("/__")) return void control(req, res, body);
      const params = Object.fromEntries(new URLSearchParams(req.method === "GET" ? url.search : body));
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      requests.push({ method: req.method ?? "GET", path: url.pathname, params, idempotencyKey: key });
      const cacheKey = key ? `${req.method} ${url.pathname} ${key}` : null;
      const result = (cacheKey && idempotent.get(cacheKey)) || route(req.method ?? "GET", url.pathname, params);
      if (cacheKey && !idempotent.has(cacheKey) && result.status < 500) idempotent.set(cacheKey, result);
      res.writeHead(result.status, { "Content-Type": "application/json", "Request-Id": `req_fake_${seq}`, ...(cacheKey ? { "Idempotency-Key": key! } : {}) });
      res.end(JSON.stringify(result.body));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
