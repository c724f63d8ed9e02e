// The sample API's shapes, as zod schemas: the handlers validate with them and the OpenAPI document is generated
// from them (lib/catalog/openapi.ts), so the reference cannot drift from what the API accepts.
import { z } from "zod";

export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

/** Which of a project's two catalogs a key works on: its own environment's (test keys: the sandbox). */
export type CatalogEnvironment = "live" | "test";
export const MAX_IMAGES = 10;
/** PostgreSQL integer columns hold prices and stock. */
const MAX_INT = 2_147_483_647;

/** The ISO 4217 codes this server accepts: the runtime's list (Intl), published as the document's enum. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf("currency");
const currencies = new Set(CURRENCIES);
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** Image URLs: http or https only (the document's pattern; zod checks the same and that it parses). */
export const IMAGE_URL_PATTERN = "^https?://";

export const skuSchema = z
  .string()
  .regex(SKU_PATTERN, "must be 1–64 characters of A–Z, 0–9 and '-', starting with a letter or digit")
  .meta({ description: "Stock-keeping unit, unique within the project.", example: "NS-SERUM-VIT-C-30ML" });

const name = z.string().trim().min(1, "must not be empty").max(200);
const price = z.int("must be an integer (minor units, e.g. cents or paise)").min(0).max(MAX_INT).meta({
  description: "Price in minor units of the currency (899 INR = ₹8.99).",
  example: 899,
});
const currency = z
  .string()
  .regex(CURRENCY_PATTERN, "must be three capital letters, an ISO 4217 currency code, e.g. INR, USD, EUR")
  .refine((c) => currencies.has(c), "must be an ISO 4217 currency code, e.g. INR, USD, EUR")
  .meta({ description: "ISO 4217 currency code (one of the codes listed).", example: "INR", enum: [...CURRENCIES] });
const stock = z.int("must be an integer").min(0).max(MAX_INT).meta({ description: "Units in stock.", example: 500 });
const images = z
  .array(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048).meta({ pattern: IMAGE_URL_PATTERN }))
  .max(MAX_IMAGES, `at most ${MAX_IMAGES} images`)
  .meta({ description: `Up to ${MAX_IMAGES} image URLs.` });
const category = z.string().trim().max(100).nullable();
const description = z.string().max(10_000).nullable();

export const createProductInput = z
  .strictObject({
    sku: skuSchema,
    name,
    price,
    currency,
    stock: stock.default(0),
    images: images.default([]),
    category: category.optional(),
    description: description.optional(),
  });
export type CreateProductInput = z.infer<typeof createProductInput>;

export const updateProductInput = z
  .strictObject({
    name: name.optional(),
    price: price.optional(),
    currency: currency.optional(),
    stock: stock.optional(),
    images: images.optional(),
    category: category.optional(),
    description: description.optional(),
  })
  .meta({ description: "Only the fields sent change; null clears category or description." });
export type UpdateProductInput = z.infer<typeof updateProductInput>;

export const setInventoryInput = z.strictObject({ stock });

/** What a cursor looks like: the last sku of a page, base64url without padding (a sku has at most 64 characters). */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,86}$/;

export const listProductsQuery = z.object({
  // Digits only: " 5", "5.0" or "1e1" are not what the document promises (an integer), so they are refused.
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, "must be an integer from 1 to 100")
    .transform(Number)
    .pipe(z.int().min(1, "must be an integer from 1 to 100").max(100, "must be an integer from 1 to 100"))
    .default(20),
  cursor: z.string().regex(CURSOR_PATTERN, "must be the nextCursor of a previous page").optional(),
});

export const productSchema = z
  .object({
    sku: skuSchema,
    name: z.string(),
    price,
    currency: z.string().regex(CURRENCY_PATTERN),
    stock,
    images: z.array(z.string().meta({ pattern: IMAGE_URL_PATTERN })).max(MAX_IMAGES),
    category: z.string().nullable(),
    description: z.string().nullable(),
    createdAt: z.string().meta({ format: "date-time" }),
    updatedAt: z.string().meta({ format: "date-time" }),
  });
export type ProductJson = z.infer<typeof productSchema>;

export const inventorySchema = z.object({ sku: skuSchema, stock });
