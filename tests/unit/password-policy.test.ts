import { describe, expect, it } from "vitest";
import { assertPasswordPolicy, findPasswordWeakness } from "../../server/domain/password-policy.ts";
import { isAppError } from "../../server/domain/errors.ts";

describe("password policy", () => {
  it.each([
    ["change-me-now", "known_default"], // the old docker-compose default (13 characters)
    ["changeme", "too_short"],
    ["short", "too_short"],
    ["mật khẩu", "too_short"],
    ["change-me-now-2024", "known_default"],
    ["ChangeMeNow!!", "known_default"],
    ["password1234", "known_default"],
    ["Password@123456", "known_default"],
    ["P@ssw0rd2024!", "known_default"],
    ["admin@2024!!!", "known_default"],
    ["Administrator1", "known_default"],
    ["2024admin!!!!", "known_default"],
    ["123456789012", "known_default"],
    ["1234567890123", "known_default"],
    ["qwertyuiop12", "known_default"],
    ["aaaaaaaaaaaa", "known_default"],
    ["abababababab", "known_default"],
    ["!@#$%^&*()_+", "known_default"],
    ["Mật Khẩu 123456", "known_default"],
    ["chidao2024!!", "known_default"],
    ["ChiDao@123456", "known_default"],
    ["quantri-2025", "known_default"],
    ["correct horse battery staple", null],
    ["tôi yêu Hà Nội mùa thu", null],
    ["xK9#mQ2$vL7p", null],
    ["483920175639", null],
  ])("%s → %s", (password, expected) => {
    expect(findPasswordWeakness(password, {})).toBe(expected);
  });

  it("refuses the user's own e-mail or its local part, with digits around", () => {
    expect(findPasswordWeakness("nguyen.van.an@sgd.example.vn", { email: "nguyen.van.an@sgd.example.vn" })).toBe("known_default");
    expect(findPasswordWeakness("nguyenvanan2024", { email: "Nguyen.Van.An@sgd.example.vn" })).toBe("known_default");
    expect(findPasswordWeakness("nguyenvanan2024", { email: "other@sgd.example.vn" })).toBe(null);
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    expect(findPasswordWeakness("đường dài ạ", {})).toBe("too_short"); // 11 characters
    expect(findPasswordWeakness("đường dài ạ!", {})).toBe(null);
  });

  it("throws a 422 naming the field", () => {
    try {
      assertPasswordPolicy("admin1234567", { email: "a@b.vn" });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, "VALIDATION")).toBe(true);
      expect((err as { issues: unknown }).issues).toEqual([{ path: "password", messageKey: "errors.password.known_default", params: { min: 12 } }]);
    }
    expect(() => assertPasswordPolicy("correct horse battery staple", {})).not.toThrow();
  });
});
