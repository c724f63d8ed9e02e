// The Stripe client for meter events, built from STRIPE_SECRET_KEY and STRIPE_API_BASE (tests point it at a local
// server). The worker retries on its own schedule (hours, not seconds), so the client makes one attempt per call.
import Stripe from "stripe";
import { env } from "../env";

export type MeterEventSender = (
  event: { eventName: string; timestamp: number; identifier: string; customerId: string; value: number },
) => Promise<void>;

/** A failed send: `status` is Stripe's HTTP answer (null: no answer — refused, reset, timed out). */
export class MeterEventError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "MeterEventError";
  }
}

export function stripeMeterEventSender(secretKey: string, apiBase: string, timeoutMs = 20_000): MeterEventSender {
  const base = new URL(apiBase);
  const protocol = base.protocol === "http:" ? "http" : "https";
  const stripe = new Stripe(secretKey, {
    host: base.hostname,
    port: base.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 0,
    timeout: timeoutMs,
    telemetry: false,
    appInfo: { name: "Keyport" },
  });
  return async ({ eventName, timestamp, identifier, customerId, value }) => {
    try {
      await stripe.billing.meterEvents.create(
        { event_name: eventName, timestamp, identifier, payload: { stripe_customer_id: customerId, value: String(value) } },
        { idempotencyKey: identifier },
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        const status = typeof error.statusCode === "number" ? error.statusCode : null;
        // Stripe's own message and code; the request (with the key in its headers) is never part of it.
        throw new MeterEventError(status, `${error.type}${error.code ? ` ${error.code}` : ""}: ${error.message}`.slice(0, 500));
      }
      throw new MeterEventError(null, (error instanceof Error ? error.message : String(error)).slice(0, 500));
    }
  };
}

/** The configured sender, or null when Stripe billing is off (no STRIPE_SECRET_KEY). */
export function configuredMeterEventSender(): MeterEventSender | null {
  const e = env();
  return e.STRIPE_SECRET_KEY ? stripeMeterEventSender(e.STRIPE_SECRET_KEY, e.STRIPE_API_BASE) : null;
}
