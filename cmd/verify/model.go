package main

import "github.com/bitnet-go/bitnet/model"

func openModel(path string, threads int) (*model.Model, error) { return model.Open(path, threads) }
