"""Network and pod policies for inference endpoints: generators and a small evaluator."""
