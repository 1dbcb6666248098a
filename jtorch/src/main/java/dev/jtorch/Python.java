package dev.jtorch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Python's text for values, so that reprs and messages read as PyTorch's do (a module's {@code extraRepr}, an
 * optimizer's repr, an error naming a hyperparameter), and Python's once-per-message warnings.
 */
public final class Python {
    private Python() {}

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Python's {@code repr(float)}: the shortest round-tripping digits, scientific below 1e-4 and from 1e16 ({@code 1e-05}). */
    public static String repr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        String sign = v < 0 ? "-" : "";
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as Python's repr does; only the layout differs.
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        if (exp < -4 || exp >= 16) return sign + scientific(digits, exp);
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** A number as a Python value prints: floats by {@link #repr(double)}, integers plainly. */
    public static String repr(Number n) {
        return n instanceof Double || n instanceof Float ? repr(n.doubleValue()) : String.valueOf(n);
    }

    /** Python's {@code str(bool)}: {@code True} or {@code False}. */
    public static String repr(boolean b) { return b ? "True" : "False"; }

    /** Python's {@code repr} of a list of strings: {@code ['a', 'b']}. */
    public static String repr(List<String> items) {
        return "[" + String.join(", ", items.stream().map(s -> "'" + s + "'").toList()) + "]";
    }

    /** A double as C++'s {@code ostream << double} prints it in ATen's messages: {@code %g} with 6 significant digits. */
    public static String cpp(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0" : "0";
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6)
            return (v < 0 ? "-" : "") + scientific(d.unscaledValue().abs().toString().replaceAll("0+$", ""), exp);
        return d.stripTrailingZeros().toPlainString();
    }

    private static String scientific(String digits, int exp) {
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Whether {@link #warn} has printed this message (for tests). */
    static boolean hasWarned(String message) { return WARNED.contains(message); }

    /** Prints {@code UserWarning: message} to stderr the first time the message is seen, as Python's default filter does. */
    public static void warn(String message) {
        if (WARNED.add(message)) System.err.println("UserWarning: " + message);
    }
}
