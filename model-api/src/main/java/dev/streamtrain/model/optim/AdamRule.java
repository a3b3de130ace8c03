package dev.streamtrain.model.optim;

import java.util.List;

/**
 * The update Adam and AdamW share, as torch 1.13's {@code _single_tensor_adam} computes it:
 * <pre>
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * v_max = max(v_max, v)                                  amsgrad only; then v_max replaces v below
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
final class AdamRule {

    private AdamRule() {
    }

    /** torch's names of the state Adam and AdamW keep: exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq. */
    static List<String> stateNames(boolean amsgrad) {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
                : List.of("exp_avg", "exp_avg_sq");
    }

    /** One step; state slots as {@link #stateNames}. */
    static void step(float[] params, float[] grads, float[][] state, int from, int to, double lr, long step,
                     Betas betas, double eps, boolean amsgrad, double coupledWeightDecay) {
        float[] m = state[0];
        float[] v = state[1];
        float[] vMax = amsgrad ? state[2] : null;
        float b1 = (float) betas.beta1();
        float b2 = (float) betas.beta2();
        float oneMinusB1 = (float) (1 - betas.beta1());
        float oneMinusB2 = (float) (1 - betas.beta2());
        float stepSize = (float) (lr / (1 - Math.pow(betas.beta1(), step)));
        float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(betas.beta2(), step));
        float epsF = (float) eps;
        float wd = (float) coupledWeightDecay;
        for (int i = from; i < to; i++) {
            float g = grads[i];
            if (coupledWeightDecay != 0) {
                g = g + wd * params[i];
            }
            m[i] = m[i] * b1 + oneMinusB1 * g;
            v[i] = v[i] * b2 + oneMinusB2 * g * g;
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                second = vMax[i];
            }
            float denominator = (float) Math.sqrt(second) / correction2Sqrt + epsF;
            params[i] = params[i] - stepSize * (m[i] / denominator);
        }
    }
}
