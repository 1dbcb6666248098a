package dev.jtorch.nn;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Python's text for values PyTorch prints in reprs and messages, and its once-per-message warnings. */
final class PyFormat {
    private PyFormat() {}

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Python's {@code repr(float)}: the shortest round-tripping digits, scientific below 1e-4 and from 1e16 ({@code 1e-05}). */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        String sign = v < 0 ? "-" : "";
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as Python's repr does.
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** A double as C++'s {@code ostream << double} prints it in ATen's messages: {@code %g} with 6 significant digits. */
    static String cppDouble(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0" : "0";
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = d.unscaledValue().abs().toString().replaceAll("0+$", "");
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (v < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /** Python's {@code repr} of a list of strings: {@code ['a', 'b']}. */
    static String strList(List<String> items) {
        return "[" + String.join(", ", items.stream().map(s -> "'" + s + "'").toList()) + "]";
    }

    /** Python's {@code str(bool)}. */
    static String bool(boolean b) { return b ? "True" : "False"; }

    /** Prints a {@code UserWarning} to stderr the first time its text is seen, as Python's default warning filter does. */
    static void warn(String message) {
        if (WARNED.add(message)) System.err.println("UserWarning: " + message);
    }
}
