package dev.jtorch;

/** Where a tensor lives, like {@code torch.device}: prints as {@code cpu} or {@code cuda:0}. */
public record Device(Type type, int index) {

    /** The device kinds jtorch knows. */
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);

    public Device {
        if (type == Type.CPU && index > 0) throw new IllegalArgumentException("CPU device index must be -1 or zero, got " + index);
        if (index < -1) throw new IllegalArgumentException("Device index must be -1 or non-negative, got " + index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"} or {@code "cuda:1"}, like {@code torch.device(str)}. */
    public static Device of(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        int index = -1;
        if (colon >= 0) {
            try {
                index = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid device string: '" + spec + "'");
            }
        }
        return switch (kind) {
            case "cpu" -> index <= 0 ? CPU : new Device(Type.CPU, index);
            case "cuda" -> new Device(Type.CUDA, index);
            default -> throw new IllegalArgumentException(
                    "Expected one of cpu, cuda device type at start of device string: " + spec);
        };
    }

    public boolean isCuda() { return type == Type.CUDA; }

    /** The type name as PyTorch spells it: {@code "cpu"} or {@code "cuda"}. */
    public String typeName() { return type == Type.CPU ? "cpu" : "cuda"; }

    @Override
    public String toString() { return index < 0 ? typeName() : typeName() + ":" + index; }
}
