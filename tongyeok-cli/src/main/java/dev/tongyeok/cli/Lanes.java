package dev.tongyeok.cli;

/**
 * Prints the lane count whose order of summation this JVM's kernels follow ({@code Ops.lanes()}).
 * The launcher asks a JVM with the Vector API module once per build, and passes the answer as
 * {@code -Dtongyeok.lanes} to the commands it starts without the module, whose scalar kernels then
 * give the vector kernels' bits.
 */
public final class Lanes {
    private Lanes() {}

    public static void main(String[] args) {
        System.out.println(dev.tongyeok.tensor.ops.Ops.lanes());
    }
}
