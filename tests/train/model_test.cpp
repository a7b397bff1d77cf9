//===- model_test.cpp - The adaptive model's forward pass -----------------===//

#include "tiny_models.h"

#include "tailor/checkpoint/error.h"
#include "tailor/train/error.h"
#include "tailor/train/model.h"

#include <gmock/gmock.h>

namespace tailor::train {
namespace {

using ::testing::HasSubstr;

TEST(ModelTest, FullLengthsRunAsNoSelection) {
  torch::manual_seed(1);
  AdaptiveTransformer model(testing::tinyVit());
  auto images = torch::rand({3, 1, 8, 8});
  auto plain = model->forward(images);
  auto full = model->forward(images, RunConfig{{5, 5}, {}});
  ASSERT_EQ(plain.sizes(), (std::vector<std::int64_t>{3, 3}));
  EXPECT_TRUE(torch::equal(plain, full));
  // Dropping tokens changes the result.
  EXPECT_FALSE(torch::allclose(plain, model->forward(images, {{2, 1}, {}})));
}

TEST(ModelTest, PaddingDoesNotChangeWhatIsSelected) {
  // Padding is masked out of attention and of the significance, so a padded
  // gloss keeps the same real tokens and gets the same logits as the gloss
  // alone, whatever else shares its batch.
  torch::manual_seed(2);
  AdaptiveTransformer model(testing::tinyEncoder());
  model->eval();
  auto padded =
      torch::tensor({{2, 5, 9, 7, 0, 0}, {2, 3, 4, 5, 6, 8}}, torch::kLong);
  auto alone = torch::tensor({{2, 5, 9, 7}}, torch::kLong);
  RunConfig run{{4, 2}, {}};
  auto batchLogits = model->forward(padded, run);
  auto aloneLogits = model->forward(alone, run);
  EXPECT_TRUE(torch::allclose(batchLogits[0], aloneLogits[0], 1e-5, 1e-6));
}

TEST(ModelTest, DropAndRestoreGivesEveryTokenALabel) {
  torch::manual_seed(3);
  AdaptiveTransformer model(testing::tinyVit(/*token=*/true));
  auto images = torch::rand({2, 1, 8, 8});
  auto full = model->forward(images);
  auto restored = model->forward(images, RunConfig{{2, 5}, {}});
  ASSERT_EQ(restored.sizes(), (std::vector<std::int64_t>{2, 5, 3}));
  EXPECT_FALSE(torch::allclose(full, restored));
  // LayerDrop may skip the last layer: the tokens still come back.
  auto skipped = model->forward(images, RunConfig{{2, 5}, {false, true}});
  EXPECT_EQ(skipped.sizes(), restored.sizes());
}

TEST(ModelTest, BadInputsNameWhatIsWrong) {
  AdaptiveTransformer vit(testing::tinyVit());
  EXPECT_THAT(
      [&] {
        vit->forward(torch::rand({1, 1, 7, 8}));
      },
      ::testing::ThrowsMessage<Error>(HasSubstr("vit input")));
  EXPECT_THROW(vit->forward(torch::rand({1, 1, 8, 8}), {{3, 4}, {}}),
               checkpoint::CheckpointError);
  EXPECT_THAT(
      [&] {
        vit->forward(torch::rand({1, 1, 8, 8}), {{}, {true}});
      },
      ::testing::ThrowsMessage<Error>(HasSubstr("LayerDrop mask")));
  AdaptiveTransformer encoder(testing::tinyEncoder());
  EXPECT_THAT(
      [&] {
        encoder->forward(torch::tensor({{2, 20}}, torch::kLong));
      },
      ::testing::ThrowsMessage<Error>(HasSubstr("token id 20")));
}

} // namespace
} // namespace tailor::train
