package dev.streamtrain.model.schedule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A learning-rate schedule of {@code torch.optim.lr_scheduler}, under its names and in its closed
 * form: the learning rate at position {@code t} from the optimizer's {@code lr}. The position is
 * the number of completed epochs (the tutorial's {@code scheduler.step()} after each epoch, the
 * default) or of completed steps ({@code interval: step}); the trainer derives it from the epoch
 * and step every snapshot carries, so a resumed run continues its schedule where it stopped.
 * In a run spec a JSON object whose {@code name} is the type id below; a spec without one reads as
 * {@link Constant}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "name")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Constant.class, name = Constant.NAME),
        @JsonSubTypes.Type(value = StepLR.class, name = StepLR.NAME),
        @JsonSubTypes.Type(value = ExponentialLR.class, name = ExponentialLR.NAME),
        @JsonSubTypes.Type(value = CosineAnnealingLR.class, name = CosineAnnealingLR.NAME)})
public sealed interface ScheduleSpec permits Constant, StepLR, ExponentialLR, CosineAnnealingLR {

    @JsonIgnore
    String name();

    /** What the position counts. */
    Interval interval();

    /** The learning rate at position {@code t} (completed epochs or steps) for base rate {@code lr}. */
    double lr(double baseLr, long t);

    /** The learning rate of the step that trains a batch of 1-based {@code epoch} after {@code stepsDone} steps. */
    default double lrFor(double baseLr, int epoch, long stepsDone) {
        return lr(baseLr, interval() == Interval.EPOCH ? epoch - 1 : stepsDone);
    }

    /** As PyTorch names the scheduler, with every setting, e.g. {@code StepLR(step_size=5, gamma=0.1)}. */
    String describe();
}
