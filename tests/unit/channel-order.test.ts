import { describe, expect, it } from "vitest";
import { ChannelOrderSchema, orderChannels } from "../../server/domain/channel-order.ts";
import { interactionWindow, ZALO_OA_WINDOW_MS } from "../../server/domain/interaction-window.ts";
import { buildTemplateData, parseTemplateParams } from "../../server/domain/template-params.ts";

const t = (min: number) => new Date(Date.UTC(2026, 10, 29, 8, min));

describe("orderChannels", () => {
  const linked = [
    { channel: "ZALO_OA" as const, linkedAt: t(5) },
    { channel: "TELEGRAM" as const, linkedAt: t(1) },
    { channel: "ZALO_BOT" as const, linkedAt: t(3) },
  ];
  it("is the order of linking without a preference", () => {
    expect(orderChannels([], linked)).toEqual(["TELEGRAM", "ZALO_BOT", "ZALO_OA"]);
  });
  it("puts the listed channels first, then the others by linking time, and skips listed channels not linked", () => {
    expect(orderChannels(["ZALO_OA"], linked)).toEqual(["ZALO_OA", "TELEGRAM", "ZALO_BOT"]);
    expect(orderChannels(["ZALO_BOT", "ZALO_OA", "TELEGRAM"], linked.slice(0, 2))).toEqual(["ZALO_OA", "TELEGRAM"]);
    expect(orderChannels(["ZALO_OA"], [])).toEqual([]);
  });
});

describe("ChannelOrderSchema", () => {
  it("takes known channels in any case, once each", () => {
    expect(ChannelOrderSchema.parse(["zalo_oa", "TELEGRAM"])).toEqual(["ZALO_OA", "TELEGRAM"]);
    expect(ChannelOrderSchema.parse([])).toEqual([]);
    expect(ChannelOrderSchema.safeParse(["SMS"]).success).toBe(false);
    expect(ChannelOrderSchema.safeParse(["TELEGRAM", "telegram"]).error?.issues[0]?.path).toEqual([1]);
    expect(ChannelOrderSchema.safeParse("TELEGRAM").success).toBe(false);
  });
});

describe("interactionWindow", () => {
  const now = new Date(Date.UTC(2026, 10, 29, 12));
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const H = 60 * 60 * 1000;
  it("knows nothing without a recorded interaction", () => {
    expect(interactionWindow(null, now)).toEqual({ knownClosed: false, billable: undefined });
  });
  it("is free for 48 hours, billed until 7 days, and known closed only past 7 days plus the recording precision", () => {
    expect(interactionWindow(ago(47 * H), now)).toEqual({ knownClosed: false, billable: false });
    expect(interactionWindow(ago(49 * H), now)).toEqual({ knownClosed: false, billable: true });
    expect(interactionWindow(ago(ZALO_OA_WINDOW_MS + 30 * 60 * 1000), now).knownClosed).toBe(false);
    expect(interactionWindow(ago(ZALO_OA_WINDOW_MS + 2 * H), now).knownClosed).toBe(true);
  });
});

describe("template parameters", () => {
  it("reads param=field lists and refuses unknown fields, repeats and junk", () => {
    expect(parseTemplateParams("tieu_de=title, han = deadline,ma=directive_id,")).toEqual({ tieu_de: "title", han: "deadline", ma: "directive_id" });
    expect(parseTemplateParams("")).toEqual({});
    expect(parseTemplateParams("x=password")).toBeNull();
    expect(parseTemplateParams("x=title,x=body")).toBeNull();
    expect(parseTemplateParams("tiêu đề=title")).toBeNull();
  });
  it("fills each parameter from the directive, cut to Zalo's 100 characters", () => {
    const data = buildTemplateData(
      { tieu_de: "title", han: "deadline", ma: "directive_id", ten: "recipient_name", noi_dung: "body", don_vi: "issuer" },
      {
        directiveId: 42,
        title: "Báo cáo",
        body: `Dòng một\n\n${"x".repeat(200)}`,
        issuerName: null,
        deadline: new Date(Date.UTC(2026, 11, 1, 10)),
        recipientName: "Nguyễn Văn An",
      },
    );
    expect(data).toMatchObject({ tieu_de: "Báo cáo", han: "17h00 ngày 01/12/2026", ma: "42", ten: "Nguyễn Văn An", don_vi: "" });
    expect(data.noi_dung).toHaveLength(100);
    expect(data.noi_dung!.startsWith("Dòng một x")).toBe(true);
  });
});
