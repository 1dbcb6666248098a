package dev.jtorch.optim;

import java.math.BigDecimal;

/** Python's {@code repr} of a float, for error messages worded as PyTorch's f-strings print them. */
final class PyFormat {
    private PyFormat() {}

    /** A hyperparameter as PyTorch's message prints it: floats by repr, integers (PyTorch's int defaults) plainly. */
    static String repr(Number n) {
        return n instanceof Double || n instanceof Float ? repr(n.doubleValue()) : String.valueOf(n);
    }

    static String repr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        // Double.toString gives the shortest digits that round-trip, as Python's repr does; only the layout differs.
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = d.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
